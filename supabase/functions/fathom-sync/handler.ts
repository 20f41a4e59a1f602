// POST /fathom-sync: import webhook deliveries left in the inbox (Fathom's, Zoom's and Typeform's), fetch content whose pause passed, continue
// Fathom imports whose driver is gone (the isolate was recycled, a rate-limit pause
// ended, a transient failure's backoff passed), and resume failed ones whose failure was transient (an outage of
// Fathom or of the database) once their resume_after has come (dueSyncs). Production calls it from pg_cron + pg_net every minute:
//   select cron.schedule('fathom-sync', '* * * * *', $$
//     select net.http_post(url := '<SUPABASE_URL>/functions/v1/fathom-sync',
//                          headers := jsonb_build_object('authorization', 'Bearer <FATHOM_SYNC_SECRET>'))$$);
// Authenticated by a shared secret (FATHOM_SYNC_SECRET) compared in constant time; unset = the endpoint is closed.
// verify_jwt = false in config.toml: the caller is a cron job, not a user.
import { driveSync, dueSyncs } from "../_shared/fathom/backfill.ts";
import { processDueContent } from "../_shared/fathom/content.ts";
import { processDueDeliveries } from "../_shared/fathom/inbox.ts";
import { processDueZoomDeliveries } from "../_shared/zoom/inbox.ts";
import { processDueTypeformDeliveries } from "../_shared/typeform/inbox.ts";
import { sha256Hex } from "../_shared/crypto.ts";
import { AppError } from "../_shared/errors.ts";
import { jsonResponse, logError, onlyMethods, withErrorHandling } from "../_shared/http.ts";

async function authorized(req: Request): Promise<boolean> {
  const expected = Deno.env.get("FATHOM_SYNC_SECRET")?.trim();
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization")?.trim() ?? "")?.[1];
  if (!expected || !given) return false;
  // equal-length digests: the comparison leaks nothing about the secret
  const [a, b] = await Promise.all([sha256Hex(expected), sha256Hex(given)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

async function continueSyncs(req: Request): Promise<Response> {
  if (!await authorized(req)) throw new AppError("unauthorized", "Not allowed.");
  // deliveries a crash or a recycled isolate left unimported, or whose backoff has passed (inbox.ts). Fathom's,
  // Zoom's and Typeform's wait in the same inbox (zoom/inbox.ts, typeform/inbox.ts) and are counted together, but
  // each provider works its own share side by side (attacker review 12b, finding 2): a slow or hanging provider
  // delays only its own rows. Typeform's are DB-only and start first; Zoom's are bounded per sweep (rows and time:
  // zoom/inbox.ts SWEEP_ROWS, SWEEP_BUDGET_MS), so the content pass and the imports below are still reached.
  const [typeformInbox, fathomInbox, zoomInbox] = await Promise.all([
    processDueTypeformDeliveries(),
    processDueDeliveries(),
    processDueZoomDeliveries(),
  ]);
  const inbox = Object.fromEntries(Object.entries(fathomInbox).map(([k, n]) => {
    const key = k as keyof typeof zoomInbox;
    return [k, n + zoomInbox[key] + typeformInbox[key]];
  }));
  const due = await dueSyncs();
  // content a webhook delivered without (a summary not ready yet), once its pause has passed
  const content = await processDueContent();
  // one wall-clock budget for the whole request; each drive re-schedules itself if it runs out. One import's
  // unexpected error (its step records what it can) must not hide the others' results: it reads "error".
  const results = await Promise.allSettled(due.map((id) => driveSync(id, { budgetMs: 100_000, reschedule: false })));
  const states = results.map((r) => {
    if (r.status === "fulfilled") return r.value.state;
    logError("fathom-sync drive", r.reason);
    return "error";
  });
  return jsonResponse({ driven: due.length, states, inbox, content });
}

export const handler = withErrorHandling(onlyMethods(["POST"], continueSyncs));
