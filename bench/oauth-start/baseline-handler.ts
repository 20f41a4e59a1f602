// The baseline beside fathom-oauth-start: the same plumbing (CORS, error envelope), the same JWT check and
// one database round trip as the user, and nothing else. What the product adds on top is its own work.
import { authenticate } from "../../supabase/functions/_shared/auth.ts";
import { asUser } from "../../supabase/functions/_shared/db.ts";
import { jsonResponse, withCors, withErrorHandling } from "../../supabase/functions/_shared/http.ts";

export const handler = withCors(
  withErrorHandling(async (req: Request) => {
    const claims = await authenticate(req);
    await req.json();
    const [row] = await asUser(claims, (tx) => tx`select 1 as ok`);
    return jsonResponse({ ok: row.ok === 1 });
  }),
  ["POST"],
);
