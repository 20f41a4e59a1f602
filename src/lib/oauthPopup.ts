/**
 * The popup side of the OAuth flow, kept free of React so it can be tested on its own.
 *
 * - openOAuthPopup() must be called synchronously inside the click handler (popup blockers allow only that);
 *   it opens about:blank, and the caller points it at the authorization URL once the start call answers.
 * - watchOAuthPopup() listens for the callback page's result on three paths: window `message` (checked: exact
 *   origin, source === the popup, data.source), a BroadcastChannel (same-origin by construction; for when COOP
 *   cuts window.opener), and polling (popup.closed + a status re-read from the back end, the source of truth).
 */

export const OAUTH_MESSAGE_SOURCE = "fathom-oauth";
export const OAUTH_CHANNEL_NAME = "fathom-oauth";
export const OAUTH_POPUP_NAME = "fathom-oauth";
export const OAUTH_POPUP_FEATURES = "width=600,height=720";
export const OAUTH_POLL_INTERVAL_MS = 1500;

export interface OAuthResultMessage {
  source: typeof OAUTH_MESSAGE_SOURCE;
  provider: string;
  status: "success" | "error";
  code: string | null;
}

export type PopupLike = Pick<Window, "closed" | "close"> & { location: { href: string } | Location };

export function isOAuthResultMessage(data: unknown, provider?: string): data is OAuthResultMessage {
  if (!data || typeof data !== "object") return false;
  const d = data as Record<string, unknown>;
  if (d.source !== OAUTH_MESSAGE_SOURCE) return false;
  if (d.status !== "success" && d.status !== "error") return false;
  if (typeof d.provider !== "string") return false;
  if (provider && d.provider !== provider) return false;
  if (d.code != null && typeof d.code !== "string") return false;
  return true;
}

/** Opens the (blank) popup. Returns null when the browser blocked it. */
export function openOAuthPopup(win: Window = window): Window | null {
  try {
    return win.open("about:blank", OAUTH_POPUP_NAME, OAUTH_POPUP_FEATURES);
  } catch {
    return null;
  }
}

/** Only http(s) URLs may be loaded into the popup (never javascript: or data:). */
export function isSafeAuthUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

export interface WatchOptions {
  popup: PopupLike;
  provider: string;
  /** A verified result arrived (postMessage or BroadcastChannel). The watcher has stopped. */
  onResult: (msg: OAuthResultMessage) => void;
  /** Called on every poll tick while the popup is open; resolve true to stop watching (e.g. status connected). */
  onPoll?: () => Promise<boolean> | boolean;
  /** The popup was closed without a result. The watcher has stopped. */
  onClosed?: () => void;
  pollIntervalMs?: number;
  win?: Window;
}

/** Starts listening; returns a function that stops everything. Idempotent. */
export function watchOAuthPopup(opts: WatchOptions): () => void {
  const win = opts.win ?? window;
  const interval = opts.pollIntervalMs ?? OAUTH_POLL_INTERVAL_MS;
  let stopped = false;
  let channel: BroadcastChannel | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let polling = false;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    win.removeEventListener("message", onMessage);
    if (channel) {
      channel.onmessage = null;
      channel.close();
    }
    if (timer) clearInterval(timer);
  };

  const deliver = (data: OAuthResultMessage) => {
    if (stopped) return;
    stop();
    opts.onResult({
      source: OAUTH_MESSAGE_SOURCE,
      provider: data.provider,
      status: data.status,
      code: data.code ?? null,
    });
  };

  function onMessage(event: MessageEvent) {
    if (event.origin !== win.location.origin) return;
    if (event.source !== (opts.popup as unknown)) return;
    if (!isOAuthResultMessage(event.data, opts.provider)) return;
    deliver(event.data);
  }

  win.addEventListener("message", onMessage);

  if (typeof BroadcastChannel !== "undefined") {
    try {
      channel = new BroadcastChannel(OAUTH_CHANNEL_NAME);
      channel.onmessage = (event: MessageEvent) => {
        if (isOAuthResultMessage(event.data, opts.provider)) deliver(event.data);
      };
    } catch {
      channel = null;
    }
  }

  timer = setInterval(async () => {
    if (stopped || polling) return;
    const closed = opts.popup.closed;
    polling = true;
    try {
      const done = opts.onPoll ? await opts.onPoll() : false;
      if (stopped) return;
      if (done) {
        stop();
        return;
      }
    } catch {
      // a failed status read is not fatal; try again on the next tick
    } finally {
      polling = false;
    }
    if (closed && !stopped) {
      stop();
      opts.onClosed?.();
    }
  }, interval);

  return stop;
}
