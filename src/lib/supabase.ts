import type { GoTrueClientOptions } from "@supabase/auth-js";
import { FunctionsClient } from "@supabase/functions-js";
import { createLazyAuth, touchesSession } from "./lazyAuth";
import { authStorageKey } from "./storedSession";

// Local defaults: the dev gateway on 54321. The anon key is passed by the start script (VITE_SUPABASE_ANON_KEY).
const url = import.meta.env.VITE_SUPABASE_URL || "http://127.0.0.1:54321";
const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY || "missing-anon-key";

if (!import.meta.env.VITE_SUPABASE_ANON_KEY && import.meta.env.MODE !== "test") {
  console.warn("VITE_SUPABASE_ANON_KEY is not set; requests to Supabase will be rejected.");
}

const storageKey = authStorageKey(url);

/**
 * The AuthClient's options, as `createClient` builds them (same URL, headers and session storage key, so a session
 * stored by either survives the other).
 */
const authOptions: GoTrueClientOptions = {
  url: new URL("auth/v1", `${url}/`).href,
  headers: { Authorization: `Bearer ${anonKey}`, apikey: anonKey },
  storageKey,
  persistSession: true,
  autoRefreshToken: true,
  detectSessionInUrl: false,
};

function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // blocked storage: auth-js falls back to memory, and so does the session here (none stored)
  }
}

/**
 * supabase-js's auth client, loaded on demand (src/lib/lazyAuth.ts): the first paint of a page does not wait for its
 * 22 KiB (docs/performance.md, bench/frontend).
 */
const auth = createLazyAuth({
  create: () => import("@supabase/auth-js").then(({ AuthClient }) => new AuthClient(authOptions)),
  storageKey,
  storage: browserStorage(),
});

// Another tab changed the session before this tab loaded the client (after that, auth-js's BroadcastChannel tells
// it); a tab coming back may hold a token its throttled timer did not refresh in time.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (touchesSession(event, storageKey)) void auth.load().catch(() => undefined);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") auth.loadIfStale();
  });
}

/** fetch with the anon key and the user's access token (the anon key when signed out), as supabase-js adds them. */
async function fetchWithAuth(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const { data } = await auth.getSession();
  const headers = new Headers(init?.headers);
  if (!headers.has("apikey")) headers.set("apikey", anonKey);
  if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${data.session?.access_token ?? anonKey}`);
  return fetch(input, { ...init, headers });
}

const functions = new FunctionsClient(new URL("functions/v1", `${url}/`).href, { customFetch: fetchWithAuth });

/**
 * The two parts of Supabase the app uses, `{ auth, functions }`. `createClient` would also bring the Realtime,
 * PostgREST and Storage clients: ~27 kB gzip on every page that nothing here calls (bench/frontend). Add them back
 * through `createClient` when a feature needs them.
 */
export const supabase = { auth, functions };
