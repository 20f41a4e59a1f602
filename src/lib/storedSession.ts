import type { Session } from "@supabase/auth-js";

/**
 * auth-js's margin before `expires_at` within which it treats a session as expired and refreshes it instead of
 * handing it out: EXPIRY_MARGIN_MS = AUTO_REFRESH_TICK_THRESHOLD (3) x AUTO_REFRESH_TICK_DURATION_MS (30 s), in
 * @supabase/auth-js 2.x src/lib/constants.ts. Milliseconds.
 */
export const AUTH_EXPIRY_MARGIN_MS = 90_000;

/** The storage key supabase-js and auth-js use for a project URL: `sb-<first label of the host>-auth-token`. */
export function authStorageKey(supabaseUrl: string): string {
  return `sb-${new URL(supabaseUrl).hostname.split(".")[0]}-auth-token`;
}

/**
 * The session auth-js persisted under `storageKey`, read synchronously, when it may still be used as is: the value
 * auth-js writes (`setItemAsync`: JSON of the Session, `{access_token, refresh_token, expires_at (s), user, ...}`),
 * shaped as its `_isValidSession` requires and not expired with its margin (`__loadSession`: `expires_at * 1000 -
 * now < EXPIRY_MARGIN_MS` is expired). Everything else is null: no entry, corrupt JSON (auth-js treats it as absent
 * too), a wrong shape, no user object, an expired token, a storage that throws (blocked cookies). A null answer means
 * "ask auth-js", which refreshes or clears the entry as it always did; this read never writes.
 *
 * `now` is epoch milliseconds (Date.now()).
 */
export function readStoredSession(storage: Pick<Storage, "getItem"> | undefined, storageKey: string, now: number):
  Session | null {
  let raw: string | null;
  try {
    raw = storage?.getItem(storageKey) ?? null;
  } catch {
    return null;
  }
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const s = value as Record<string, unknown>;
  if (typeof s.access_token !== "string" || !s.access_token) return null;
  if (typeof s.refresh_token !== "string") return null;
  // auth-js hands out a session without expires_at as never expiring; the app's Auth always sets it, so a session
  // without it is left to auth-js rather than trusted here.
  if (typeof s.expires_at !== "number" || !Number.isFinite(s.expires_at)) return null;
  if (typeof s.user !== "object" || s.user === null || typeof (s.user as { id?: unknown }).id !== "string") {
    return null;
  }
  if (s.expires_at * 1000 - now < AUTH_EXPIRY_MARGIN_MS) return null;
  return value as Session;
}
