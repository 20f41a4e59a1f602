import { useCallback, useEffect, useRef, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, ApiError } from "@/lib/api";
import { fathomOAuthErrorMessage, FATHOM_OAUTH_ERROR_MESSAGES } from "@/lib/oauthErrors";
import { isSafeAuthUrl, openOAuthPopup, watchOAuthPopup } from "@/lib/oauthPopup";
import type { TeamIntegration } from "@/lib/types";
import { integrationsQueryOptions } from "./useIntegrations";

export type ConnectState =
  | { phase: "idle" }
  | { phase: "starting" }
  | { phase: "waiting" }
  | { phase: "blocked" }
  | { phase: "cancelled" }
  | { phase: "success" }
  | { phase: "error"; code: string; message: string };

const PROVIDER = "fathom";

export function fathomCallbackUrl(): string {
  return `${window.location.origin}/fathom-callback.html`;
}

function startErrorMessage(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) {
    if (err.code in FATHOM_OAUTH_ERROR_MESSAGES) return { code: err.code, message: fathomOAuthErrorMessage(err.code) };
    return { code: err.code, message: err.message };
  }
  return { code: "unknown_error", message: fathomOAuthErrorMessage(null) };
}

/**
 * The Fathom connect flow: popup opened synchronously on click, then fathom-oauth-start, then the popup is pointed
 * at the authorization URL and watched (postMessage, BroadcastChannel, polling) until a result or its closing.
 * The back end's status stays the source of truth: every result ends with a re-read of the integrations.
 */
export function useStartFathomConnect(teamId: string, options: { pollIntervalMs?: number } = {}) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectState>({ phase: "idle" });
  const stopWatchingRef = useRef<(() => void) | null>(null);
  const popupRef = useRef<Window | null>(null);

  const { mutateAsync: startOAuth } = useMutation({ mutationFn: api.startFathomOAuth });

  useEffect(
    () => () => {
      stopWatchingRef.current?.();
    },
    [],
  );

  const refetchFathom = useCallback(async (): Promise<TeamIntegration | undefined> => {
    const rows = await queryClient.fetchQuery({ ...integrationsQueryOptions(teamId), staleTime: 0 });
    return rows.find((r) => r.provider === PROVIDER);
  }, [queryClient, teamId]);

  const connect = useCallback(() => {
    stopWatchingRef.current?.();
    stopWatchingRef.current = null;

    // Synchronously, inside the click handler: popup blockers allow only this.
    const popup = openOAuthPopup();
    if (!popup) {
      setState({ phase: "blocked" });
      return;
    }
    popupRef.current = popup;
    setState({ phase: "starting" });

    const before = queryClient
      .getQueryData<TeamIntegration[]>(integrationsQueryOptions(teamId).queryKey)
      ?.find((r) => r.provider === PROVIDER);
    const baselineConnectedAt = before?.status === "connected" ? (before.connected_at ?? null) : undefined;

    startOAuth({ teamId, redirectUri: fathomCallbackUrl() })
      .then((authUrl) => {
        if (!isSafeAuthUrl(authUrl)) {
          throw new ApiError("invalid_response", "The server returned an invalid authorization URL.");
        }
        if (popup.closed) {
          setState({ phase: "cancelled" });
          return;
        }
        popup.location.href = authUrl;
        setState({ phase: "waiting" });

        stopWatchingRef.current = watchOAuthPopup({
          popup,
          provider: PROVIDER,
          pollIntervalMs: options.pollIntervalMs,
          onResult: async (msg) => {
            await refetchFathom().catch(() => undefined);
            if (msg.status === "success") setState({ phase: "success" });
            else {
              const code = msg.code ?? "unknown_error";
              setState({ phase: "error", code, message: fathomOAuthErrorMessage(code) });
            }
          },
          onPoll: async () => {
            const row = await refetchFathom();
            if (row?.status === "connected" && (row.connected_at ?? null) !== baselineConnectedAt) {
              setState({ phase: "success" });
              return true;
            }
            return false;
          },
          onClosed: () => {
            setState((s) => (s.phase === "waiting" ? { phase: "cancelled" } : s));
          },
        });
      })
      .catch((err: unknown) => {
        try {
          popup.close();
        } catch {
          // already gone
        }
        setState({ phase: "error", ...startErrorMessage(err) });
      });
  }, [options.pollIntervalMs, queryClient, refetchFathom, startOAuth, teamId]);

  /** Stop waiting: close the popup and forget the attempt. */
  const cancel = useCallback(() => {
    stopWatchingRef.current?.();
    stopWatchingRef.current = null;
    try {
      popupRef.current?.close();
    } catch {
      // ignore
    }
    popupRef.current = null;
    setState({ phase: "idle" });
  }, []);

  const reset = useCallback(() => setState({ phase: "idle" }), []);

  return { state, connect, cancel, reset };
}
