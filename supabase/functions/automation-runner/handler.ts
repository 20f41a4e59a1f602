// POST /automation-runner: one pass of the automations engine (runDue: dispatch pending events, execute due runs)
// within a wall-clock budget. Production calls it from pg_cron every few seconds and from a pg_net "doorbell"
// trigger on automation_events inserts (docs/deploy.md: the doorbell is a hint, the cron is the guarantee);
// locally the stack's scheduler calls it every second (dev/lib/sync-scheduler.mjs).
// Authenticated by a shared secret (AUTOMATION_RUNNER_SECRET) compared in constant time, like fathom-sync;
// unset = the endpoint is closed. verify_jwt = false in config.toml: the caller is a cron job, not a user.
import { runDue } from "../_shared/automations/engine/index.ts";
import { sha256Hex } from "../_shared/crypto.ts";
import { AppError } from "../_shared/errors.ts";
import { jsonResponse, onlyMethods, withErrorHandling } from "../_shared/http.ts";

async function authorized(req: Request): Promise<boolean> {
  const expected = Deno.env.get("AUTOMATION_RUNNER_SECRET")?.trim();
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization")?.trim() ?? "")?.[1];
  if (!expected || !given) return false;
  // equal-length digests: the comparison leaks nothing about the secret
  const [a, b] = await Promise.all([sha256Hex(expected), sha256Hex(given)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The pass's budget (AUTOMATION_RUNNER_BUDGET_MS, default 20 s): well inside the 150 s request limit. */
function budgetMs(): number {
  const value = Number(Deno.env.get("AUTOMATION_RUNNER_BUDGET_MS"));
  return Number.isFinite(value) && value > 0 ? value : 20_000;
}

async function run(req: Request): Promise<Response> {
  if (!await authorized(req)) throw new AppError("unauthorized", "Not allowed.");
  const result = await runDue({ budgetMs: budgetMs() });
  return jsonResponse(result);
}

export const handler = withErrorHandling(onlyMethods(["POST"], run));
