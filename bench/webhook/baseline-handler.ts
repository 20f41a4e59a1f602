// The floor bench/webhook compares fathom-webhook against, served by the same gateway (EXTRA_FUNCTIONS, verify_jwt
// off) at /functions/v1/webhook-baseline/<anything>: read the raw body, verify the same Standard Webhooks signature
// (secret from BENCH_WEBHOOK_SECRET), store it durably with ONE insert (one round trip, one commit), answer 200:
// the floor of any webhook that acknowledges only what it has stored. Whatever the product's handler takes on top
// of this is its routing, parsing and dedupe (the import runs after the acknowledgement).
import postgres from "postgres";
import { Webhook } from "standardwebhooks";

let sql: postgres.Sql | null = null;
let webhook: Webhook | null = null;

export async function handler(req: Request): Promise<Response> {
  if (req.method !== "POST") return new Response(null, { status: 405 });
  webhook ??= new Webhook(Deno.env.get("BENCH_WEBHOOK_SECRET")!);
  // the same pool settings as the product's (supabase/functions/_shared/db.ts)
  sql ??= postgres(Deno.env.get("SUPABASE_DB_URL")!, { prepare: false, max: 4, idle_timeout: 20, onnotice: () => {} });
  const body = await req.text();
  try {
    webhook.verify(body, {
      "webhook-id": req.headers.get("webhook-id") ?? "",
      "webhook-timestamp": req.headers.get("webhook-timestamp") ?? "",
      "webhook-signature": req.headers.get("webhook-signature") ?? "",
    });
  } catch {
    return Response.json({ error: { code: "unauthorized", message: "Invalid webhook signature." } }, { status: 401 });
  }
  await sql`insert into public.bench_webhook_baseline (id, body) values (${req.headers.get("webhook-id")}, ${body})
            on conflict do nothing`;
  return Response.json({ ok: true });
}
