/**
 * The popup side of the OAuth flow, kept free of React so it can be tested on its own.
 *
 * - openOAuthPopup() must be called synchronously inside the click handler (popup blockers allow only that);
 *   it opens about:blank, and the caller points it at the authorization URL once the start call answers.
 * - watchOAuthPopup() listens for the callback page's result on four paths: window `message` (checked: exact
 *   origin, source === the popup, data.source), a BroadcastChannel (same-origin by construction; for when COOP
 *   cuts window.opener), the localStorage hand-off (for an app that reloaded while the popup was open), and polling
 *   (a status re-read from the back end, the source of truth).
 * - The callback page reports `pending` with a one-time id: the app confirms it with its own session and the
 *   start's confirm secret (the binding, docs/decisions.md "OAuth binding"), then acknowledges on the channel so
 *   the page can close itself.
 * - `popup.closed` is only a hint: a consent page sending `Cross-Origin-Opener-Policy: same-origin` makes the
 *   opener read `closed === true` while the person is still deciding. The watcher keeps listening for a grace
 *   period after the first closed reading and gives up only then.
 * - Every name (message marker, channel, popup window, hand-off key) is per provider: `<provider>-oauth`, so two
 *   providers' flows never read each other's results. public/oauth-callback.js derives the same names.
 */

export const OAUTH_POPUP_FEATURES = "width=600,height=720";
export const OAUTH_POLL_INTERVAL_MS = 1500;
/** How long a `closed` reading is doubted: a person may still be on a COOP consent page (ms). */
export const OAUTH_CLOSED_GRACE_MS = 3 * 60_000;
/** Matches the server's pending/confirm TTL: older hand-offs and attempts are ignored (ms). */
export const OAUTH_ATTEMPT_TTL_MS = 10 * 60_000;
const PENDING_ID = /^[A-Za-z0-9_-]{43}$/;

/** The provider's message marker, BroadcastChannel name and popup window name: `<provider>-oauth`. */
export function oauthSource(provider: string): string {
  return `${provider}-oauth`;
}

export interface OAuthResultMessage {
  /** `<provider>-oauth` */
  source: string;
  provider: string;
  /** pending: the authorization finished and waits for this app's confirmation (`pending` is its one-time id) */
  status: "pending" | "error";
  code: string | null;
  pending?: string;
}

export type PopupLike = Pick<Window, "closed" | "close"> & { location: { href: string } | Location };

/** A well-formed result of `provider`'s callback page (any provider's when omitted, its marker matching it). */
export function isOAuthResultMessage(data: unknown, provider?: string): data is OAuthResultMessage {
  if (!data || typeof data !== "object") return false;
  const d = data as Record<string, unknown>;
  if (typeof d.provider !== "string") return false;
  if (provider && d.provider !== provider) return false;
  if (d.source !== oauthSource(d.provider)) return false;
  if (d.status !== "pending" && d.status !== "error") return false;
  if (d.code != null && typeof d.code !== "string") return false;
  if (d.status === "pending" && (typeof d.pending !== "string" || !PENDING_ID.test(d.pending))) return false;
  return true;
}

/** localStorage key of the callback page's hand-off: `{ pending, at }` (at: ms since the epoch). */
export function pendingHandoffKey(provider: string): string {
  return `${oauthSource(provider)}:pending:${provider}`;
}

/** A hand-off written by the callback page at or after `since` (ms), or null. Never throws. */
export function readPendingHandoff(provider: string, since: number, win: Window = window): string | null {
  try {
    const raw = win.localStorage.getItem(pendingHandoffKey(provider));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as { pending?: unknown; at?: unknown };
    if (typeof parsed.pending !== "string" || !PENDING_ID.test(parsed.pending)) return null;
    if (typeof parsed.at !== "number" || parsed.at < since) return null;
    return parsed.pending;
  } catch {
    return null;
  }
}

export function clearPendingHandoff(provider: string, win: Window = window): void {
  try {
    win.localStorage.removeItem(pendingHandoffKey(provider));
  } catch {
    // storage unavailable: nothing to clear
  }
}

/** Tell the callback page(s) the connection is confirmed, so a popup without an opener can close itself. */
export function acknowledgeResult(provider: string): void {
  if (typeof BroadcastChannel === "undefined") return;
  try {
    const channel = new BroadcastChannel(oauthSource(provider));
    channel.postMessage({ source: oauthSource(provider), provider, status: "confirmed" });
    channel.close();
  } catch {
    // best effort: the page also closes on its own timer
  }
}

/** Opens the provider's (blank) popup window. Returns null when the browser blocked it. */
export function openOAuthPopup(provider: string, win: Window = window): Window | null {
  try {
    return win.open("about:blank", oauthSource(provider), OAUTH_POPUP_FEATURES);
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
  /** A verified result arrived (postMessage, BroadcastChannel or the hand-off). The watcher has stopped. */
  onResult: (msg: OAuthResultMessage) => void;
  /** Called on every poll tick; resolve true to stop watching (e.g. status connected). */
  onPoll?: () => Promise<boolean> | boolean;
  /** The popup read as closed for the first time: a hint only, the watcher keeps listening. */
  onClosedHint?: () => void;
  /** Nothing arrived within closedGraceMs of the first closed reading. The watcher has stopped. */
  onClosed?: () => void;
  pollIntervalMs?: number;
  closedGraceMs?: number;
  /** hand-offs older than this (ms since the epoch) belong to an earlier attempt; default: now */
  since?: number;
  win?: Window;
}

/** Starts listening; returns a function that stops everything. Idempotent. */
export function watchOAuthPopup(opts: WatchOptions): () => void {
  const win = opts.win ?? window;
  const interval = opts.pollIntervalMs ?? OAUTH_POLL_INTERVAL_MS;
  const grace = opts.closedGraceMs ?? OAUTH_CLOSED_GRACE_MS;
  const since = opts.since ?? Date.now();
  let stopped = false;
  let channel: BroadcastChannel | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let polling = false;
  let closedSince: number | null = null;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    win.removeEventListener("message", onMessage);
    win.removeEventListener("storage", onStorage);
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
      source: oauthSource(opts.provider),
      provider: data.provider,
      status: data.status,
      code: data.code ?? null,
      ...(data.status === "pending" ? { pending: data.pending } : {}),
    });
  };

  const checkHandoff = () => {
    const pending = readPendingHandoff(opts.provider, since, win);
    if (pending) {
      deliver({ source: oauthSource(opts.provider), provider: opts.provider, status: "pending", code: null, pending });
    }
  };

  function onMessage(event: MessageEvent) {
    if (event.origin !== win.location.origin) return;
    if (event.source !== (opts.popup as unknown)) return;
    if (!isOAuthResultMessage(event.data, opts.provider)) return;
    deliver(event.data);
  }

  function onStorage(event: StorageEvent) {
    if (event.key === pendingHandoffKey(opts.provider)) checkHandoff();
  }

  win.addEventListener("message", onMessage);
  win.addEventListener("storage", onStorage);

  if (typeof BroadcastChannel !== "undefined") {
    try {
      channel = new BroadcastChannel(oauthSource(opts.provider));
      channel.onmessage = (event: MessageEvent) => {
        if (isOAuthResultMessage(event.data, opts.provider)) deliver(event.data);
      };
    } catch {
      channel = null;
    }
  }

  timer = setInterval(async () => {
    if (stopped || polling) return;
    let closed = false;
    try {
      closed = opts.popup.closed;
    } catch {
      closed = true;
    }
    if (closed && closedSince === null) {
      closedSince = Date.now();
      opts.onClosedHint?.();
    }
    checkHandoff();
    if (stopped) return;
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
    if (closedSince !== null && !stopped && Date.now() - closedSince >= grace) {
      stop();
      opts.onClosed?.();
    }
  }, interval);

  return stop;
}
