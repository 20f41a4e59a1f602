// One place for third-party imports, so versions match supabase/functions/deno.json.
// Only the npm registry is reachable, hence npm: specifiers (run Deno with --node-modules-dir=manual).
export { z } from "npm:zod@^4.6.7";
export { Webhook } from "npm:standardwebhooks@^1.1.1";
