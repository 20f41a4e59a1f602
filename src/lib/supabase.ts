import { AuthClient } from "@supabase/auth-js";
import { FunctionsClient } from "@supabase/functions-js";

// Local defaults: the dev gateway on 54321. The anon key is passed by the start script (VITE_SUPABASE_ANON_KEY).
const url = import.meta.env.VITE_SUPABASE_URL || "http://127.0.0.1:54321";
const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY || "missing-anon-key";

if (!import.meta.env.VITE_SUPABASE_ANON_KEY && import.meta.env.MODE !== "test") {
  console.warn("VITE_SUPABASE_ANON_KEY is not set; requests to Supabase will be rejected.");
}

/**
 * The two parts of Supabase the app uses, `{ auth, functions }`, built as `createClient` builds them (same URLs,
 * headers and session storage key, so a session stored by either survives the other). `createClient` would also
 * bring the Realtime, PostgREST and Storage clients: ~27 kB gzip on every page that nothing here calls
 * (bench/frontend). Add them back through `createClient` when a feature needs them.
 */
const auth = new AuthClient({
  url: new URL("auth/v1", `${url}/`).href,
  headers: { Authorization: `Bearer ${anonKey}`, apikey: anonKey },
  storageKey: `sb-${new URL(url).hostname.split(".")[0]}-auth-token`,
  persistSession: true,
  autoRefreshToken: true,
  detectSessionInUrl: false,
});

/** fetch with the anon key and the user's access token (the anon key when signed out), as supabase-js adds them. */
async function fetchWithAuth(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const { data } = await auth.getSession();
  const headers = new Headers(init?.headers);
  if (!headers.has("apikey")) headers.set("apikey", anonKey);
  if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${data.session?.access_token ?? anonKey}`);
  return fetch(input, { ...init, headers });
}

const functions = new FunctionsClient(new URL("functions/v1", `${url}/`).href, { customFetch: fetchWithAuth });

export const supabase = { auth, functions };
