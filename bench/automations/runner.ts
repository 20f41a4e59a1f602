// One automations runner process for bench/automations (Deno): runDue until there is no work, with its own
// connection pool, as one automation-runner isolate would. Prints { ms, ...totals }.
import { runDue } from "../../supabase/functions/_shared/automations/engine/index.ts";
import { closeDb } from "../../supabase/functions/_shared/db.ts";

const started = performance.now();
const totals = await runDue({ budgetMs: 20 * 60_000 });
const ms = Math.round(performance.now() - started);
await closeDb();
console.log(JSON.stringify({ ms, ...totals }));
