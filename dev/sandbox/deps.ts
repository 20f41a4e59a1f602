// One place for the sandbox family's third-party imports, so versions match supabase/functions/deno.json.
// Only the npm registry is reachable, hence npm: specifiers.
export { z } from "npm:zod@^4.6.7";
