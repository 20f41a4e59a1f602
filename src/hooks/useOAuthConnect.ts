import { useCallback, useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError } from "@/lib/api";
import { isKnownOAuthError, oauthErrorMessage } from "@/lib/oauthErrors";
import {
  acknowledgeResult,
  clearPendingHandoff,
  isSafeAuthUrl,
  OAUTH_ATTEMPT_TTL_MS,
  oauthSource,
  openOAuthPopup,
  watchOAuthPopup,
  type OAuthResultMessage,
  type PopupLike,
} from "@/lib/oauthPopup";
import { callbackUrl, providerEntry, type ProviderId } from "@/lib/providers";
import type { TeamIntegration } from "@/lib/types";
import { integrationsQueryOptions } from "./useIntegrations";

export type ConnectState =
  | { phase: "idle" }
  | { phase: "starting" }
  /** windowClosed: the popup reads as closed, which may be COOP; still listening for a while */
  | { phase: "waiting"; windowClosed?: boolean }
  | { phase: "confirming" }
  | { phase: "blocked" }
  | { phase: "cancelled" }
  | { phase: "success" }
  | { phase: "error"; code: string; message: string };

/** One connect attempt of this tab: the start's confirm secret, kept in sessionStorage so a reload can finish it. */
interface Attempt {
  confirmSecret: string;
  /** ms since the epoch */
  startedAt: number;
}

/** sessionStorage key of the tab's attempt for this provider and team. */
export const attemptKey = (provider: ProviderId, teamId: string) => `${oauthSource(provider)}:attempt:${teamId}`;

function saveAttempt(provider: ProviderId, teamId: string, attempt: Attempt): void {
  try {
    sessionStorage.setItem(attemptKey(provider, teamId), JSON.stringify(attempt));
  } catch {
    // no storage: the attempt lives in memory only (a reload then needs a new click)
  }
}

function loadAttempt(provider: ProviderId, teamId: string): Attempt | null {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(attemptKey(provider, teamId)) ?? "null") as Partial<Attempt> | null;
    if (!parsed || typeof parsed.confirmSecret !== "string" || typeof parsed.startedAt !== "number") return null;
    return Date.now() - parsed.startedAt < OAUTH_ATTEMPT_TTL_MS ? (parsed as Attempt) : null;
  } catch {
    return null;
  }
}

function clearAttempt(provider: ProviderId, teamId: string): void {
  try {
    sessionStorage.removeItem(attemptKey(provider, teamId));
  } catch {
    // ignore
  }
}

function startErrorMessage(name: string, err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) {
    if (isKnownOAuthError(err.code)) return { code: err.code, message: oauthErrorMessage(name, err.code) };
    return { code: err.code, message: err.message };
  }
  return { code: "unknown_error", message: oauthErrorMessage(name, null) };
}

/**
 * One provider's connect flow: popup opened synchronously on click, then <provider>-oauth-start (authUrl + a one-time
 * confirm secret kept by this tab), then the popup is pointed at the authorization URL and watched (postMessage,
 * BroadcastChannel, the localStorage hand-off, polling). The callback page reports a `pending` id; this app
 * confirms it with the user's session and the secret (oauth-confirm): only then is the team connected, so an
 * authorization finished in any other browser connects nothing. A tab that reloads mid-flow resumes the attempt.
 * The back end's status stays the source of truth: every result ends with a re-read of the integrations.
 */
export function useOAuthConnect(
  provider: ProviderId,
  teamId: string,
  options: { pollIntervalMs?: number; closedGraceMs?: number } = {},
) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectState>({ phase: "idle" });
  const stopWatchingRef = useRef<(() => void) | null>(null);
  const popupRef = useRef<Window | null>(null);
  const { name } = providerEntry(provider);

  useEffect(
    () => () => {
      stopWatchingRef.current?.();
    },
    [],
  );

  const refetchRow = useCallback(async (): Promise<TeamIntegration | undefined> => {
    const rows = await queryClient.fetchQuery({ ...integrationsQueryOptions(teamId), staleTime: 0 });
    return rows.find((r) => r.provider === provider);
  }, [queryClient, teamId, provider]);

  /** What to do with the callback page's report: confirm a pending authorization, or show the error. */
  const finish = useCallback(
    async (msg: OAuthResultMessage, attempt: Attempt) => {
      if (msg.status === "pending" && msg.pending) {
        setState({ phase: "confirming" });
        try {
          await api.confirmOAuth({ pendingId: msg.pending, confirmSecret: attempt.confirmSecret });
          acknowledgeResult(provider);
          setState({ phase: "success" });
        } catch (err) {
          setState({ phase: "error", ...startErrorMessage(name, err) });
        }
      } else {
        const code = msg.code ?? "unknown_error";
        setState({ phase: "error", code, message: oauthErrorMessage(name, code) });
      }
      clearAttempt(provider, teamId);
      clearPendingHandoff(provider);
      await refetchRow().catch(() => undefined);
    },
    [refetchRow, teamId, provider, name],
  );

  const watch = useCallback(
    (popup: PopupLike, attempt: Attempt, baselineConnectedAt: string | null | undefined, closedGraceMs?: number) => {
      stopWatchingRef.current = watchOAuthPopup({
        popup,
        provider,
        since: attempt.startedAt,
        pollIntervalMs: options.pollIntervalMs,
        closedGraceMs: closedGraceMs ?? options.closedGraceMs,
        onResult: (msg) => void finish(msg, attempt),
        onPoll: async () => {
          const row = await refetchRow();
          if (row?.status === "connected" && (row.connected_at ?? null) !== baselineConnectedAt) {
            clearAttempt(provider, teamId);
            setState({ phase: "success" });
            return true;
          }
          return false;
        },
        onClosedHint: () => setState((s) => (s.phase === "waiting" ? { phase: "waiting", windowClosed: true } : s)),
        onClosed: () => {
          clearAttempt(provider, teamId);
          setState((s) => (s.phase === "waiting" ? { phase: "cancelled" } : s));
        },
      });
    },
    [finish, options.closedGraceMs, options.pollIntervalMs, refetchRow, teamId, provider],
  );

  // A tab that reloaded (or remounted) mid-flow: its attempt is in sessionStorage; keep listening for the rest of
  // its lifetime (the BroadcastChannel and the hand-off still reach this tab; the old popup reference is gone).
  useEffect(() => {
    const attempt = loadAttempt(provider, teamId);
    if (!attempt || stopWatchingRef.current) return;
    const gone: PopupLike = { closed: true, close: () => undefined, location: { href: "" } };
    setState({ phase: "waiting", windowClosed: true });
    watch(gone, attempt, undefined, Math.max(0, OAUTH_ATTEMPT_TTL_MS - (Date.now() - attempt.startedAt)));
  }, [teamId, watch, provider]);

  const connect = useCallback(() => {
    stopWatchingRef.current?.();
    stopWatchingRef.current = null;

    // Synchronously, inside the click handler: popup blockers allow only this.
    const popup = openOAuthPopup(provider);
    if (!popup) {
      setState({ phase: "blocked" });
      return;
    }
    popupRef.current = popup;
    setState({ phase: "starting" });

    const before = queryClient
      .getQueryData<TeamIntegration[]>(integrationsQueryOptions(teamId).queryKey)
      ?.find((r) => r.provider === provider);
    const baselineConnectedAt = before?.status === "connected" ? (before.connected_at ?? null) : undefined;
    const startedAt = Date.now();

    api
      .startOAuth(provider, { teamId, redirectUri: callbackUrl(provider) })
      .then(({ authUrl, confirmSecret }) => {
        if (!isSafeAuthUrl(authUrl)) {
          throw new ApiError("invalid_response", "The server returned an invalid authorization URL.");
        }
        if (popup.closed) {
          setState({ phase: "cancelled" });
          return;
        }
        const attempt: Attempt = { confirmSecret, startedAt };
        saveAttempt(provider, teamId, attempt);
        popup.location.href = authUrl;
        setState({ phase: "waiting" });
        watch(popup, attempt, baselineConnectedAt);
      })
      .catch((err: unknown) => {
        try {
          popup.close();
        } catch {
          // already gone
        }
        setState({ phase: "error", ...startErrorMessage(name, err) });
      });
  }, [queryClient, teamId, watch, provider, name]);

  /** Stop waiting: close the popup and forget the attempt. */
  const cancel = useCallback(() => {
    stopWatchingRef.current?.();
    stopWatchingRef.current = null;
    clearAttempt(provider, teamId);
    try {
      popupRef.current?.close();
    } catch {
      // ignore
    }
    popupRef.current = null;
    setState({ phase: "idle" });
  }, [teamId, provider]);

  const reset = useCallback(() => setState({ phase: "idle" }), []);

  return { state, connect, cancel, reset };
}
