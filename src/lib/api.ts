import { FunctionsFetchError, FunctionsHttpError, FunctionsRelayError } from "@supabase/supabase-js";
import { supabase } from "./supabase";
import type { Team, TeamIntegration } from "./types";
import { ApiError } from "./apiError";

export { ApiError };

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Turn whatever supabase.functions.invoke returned as `error` into an ApiError with a human message. */
export async function toApiError(error: unknown): Promise<ApiError> {
  if (error instanceof ApiError) return error;
  if (error instanceof FunctionsHttpError || error instanceof FunctionsRelayError) {
    const res = (error as { context?: unknown }).context;
    if (res instanceof Response) {
      let body: unknown = null;
      try {
        body = await res.clone().json();
      } catch {
        body = null;
      }
      const env = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof env?.code === "string" ? env.code : `http_${res.status}`;
      const message =
        typeof env?.message === "string" && env.message
          ? env.message
          : res.status === 401
            ? "Your session has expired. Please sign in again."
            : `The server answered with an error (HTTP ${res.status}).`;
      return new ApiError(code, message, res.status);
    }
    return new ApiError("http_error", "The server answered with an error.");
  }
  if (error instanceof FunctionsFetchError) {
    return new ApiError("network_error", "Could not reach the server. Check your connection and try again.");
  }
  if (error instanceof Error) return new ApiError("unknown_error", error.message || "Something went wrong.");
  return new ApiError("unknown_error", "Something went wrong.");
}

/** The one place the app talks to edge functions. `path` is "<function>/<sub path>", e.g. "api/teams". */
export async function request<T>(path: string, method: Method = "GET", body?: unknown): Promise<T> {
  const { data, error } = await supabase.functions.invoke(path, {
    method,
    ...(body === undefined ? {} : { body: body as Record<string, unknown> }),
  });
  if (error) throw await toApiError(error);
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  listTeams: () => request<{ teams: Team[] }>("api/teams", "GET").then((d) => d?.teams ?? []),

  listIntegrations: (teamId: string) =>
    request<{ integrations: TeamIntegration[] }>(`api/teams/${enc(teamId)}/integrations`, "GET").then(
      (d) => d?.integrations ?? [],
    ),

  disconnectIntegration: (teamId: string, provider: string) =>
    request<unknown>(`api/teams/${enc(teamId)}/integrations/${enc(provider)}`, "DELETE").then(() => undefined),

  startFathomOAuth: (input: { teamId: string; redirectUri: string }) =>
    request<{ authUrl: string }>("fathom-oauth-start", "POST", input).then((d) => {
      if (!d || typeof d.authUrl !== "string") {
        throw new ApiError("invalid_response", "The server did not return an authorization URL.");
      }
      return d.authUrl;
    }),
};

export type Api = typeof api;
