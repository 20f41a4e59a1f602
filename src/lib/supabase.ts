import { createClient } from "@supabase/supabase-js";

// Local defaults: the dev gateway on 54321. The anon key is passed by the start script (VITE_SUPABASE_ANON_KEY).
const url = import.meta.env.VITE_SUPABASE_URL || "http://127.0.0.1:54321";
const anonKey = import.meta.env.VITE_SUPABASE_ANON_KEY || "missing-anon-key";

if (!import.meta.env.VITE_SUPABASE_ANON_KEY && import.meta.env.MODE !== "test") {
  console.warn("VITE_SUPABASE_ANON_KEY is not set; requests to Supabase will be rejected.");
}

export const supabase = createClient(url, anonKey, {
  auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false },
});
