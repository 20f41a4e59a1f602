// Bench runner (Deno, one process of the bench's 4; bench/automations/bench.mjs): the product's runner pass,
// _shared/automations/engine runDue, as the automation-runner function calls it (one loop per process).
//
//   deno run -A bench/automations/runner.ts drain          runDue again and again until a pass finds no work
//   deno run -A bench/automations/runner.ts poll <ms>      runDue, sleep <ms>, again, until "stop" on stdin
//
// Protocol: after a warm-up (modules loaded, a pooled connection open) it prints {"ready":true} and waits for "go"
// on stdin, so the bench times the work, not Deno's start. At the end it prints one JSON line:
// {goAt, endedAt (epoch ms), passes, totals (the sum of the RunDueResults)}.
//
// Environment: the functions' environment (SUPABASE_DB_URL, TOKEN_ENCRYPTION_KEY, SLACK_WEBHOOK_BASE_URL, ...).
import { asService, closeDb } from "../../supabase/functions/_shared/db.ts";
import { runDue, type RunDueResult } from "../../supabase/functions/_shared/automations/engine/index.ts";
import { stdinLines } from "./data.ts";

const [mode = "drain", pollText = "100"] = Deno.args;
const pollMs = Number(pollText);
if (!["drain", "poll"].includes(mode) || !(pollMs > 0)) {
  console.error("usage: runner.ts drain | poll <ms>");
  Deno.exit(2);
}

await asService((tx) => tx`select 1`);
const lines = stdinLines();
console.log(JSON.stringify({ ready: true }));
while ((await lines.next()).value !== "go") { /* wait */ }
const goAt = Date.now();

let stop = false;
if (mode === "poll") (async () => {
  for await (const line of lines) if (line === "stop") break;
  stop = true;
})();

const totals: RunDueResult = { dispatched: 0, queued: 0, skipped: 0, ran: 0, succeeded: 0, retrying: 0, dead: 0, lease_lost: 0, errors: 0 };
let passes = 0;
try {
  for (;;) {
    const result = await runDue({ budgetMs: 600_000, runners: 1 });
    passes++;
    for (const key of Object.keys(totals) as (keyof RunDueResult)[]) totals[key] += result[key];
    if (mode === "drain") {
      if (result.dispatched === 0 && result.ran === 0 && result.errors === 0) break;
      continue;
    }
    if (stop) break;
    await new Promise((r) => setTimeout(r, pollMs));
    if (stop) break;
  }
} finally {
  await closeDb();
}
console.log(JSON.stringify({ goAt, endedAt: Date.now(), passes, totals }));
Deno.exit(0); // stdin may still be open
