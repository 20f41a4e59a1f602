// Bench driver (Deno, its own process so its memory is measured alone): the product's "Import past meetings"
// (supabase/functions/_shared/fathom/backfill.ts) for one integration, driven step by step as driveSync does, until
// the list stage is over (mode "list") or the whole sync is done (mode "all"). Prints one JSON line.
//
//   deno run -A bench/import/run-backfill.ts <integrationId> <expectedMeetings> [list|all]
//
// Environment: the functions' environment (SUPABASE_DB_URL, TOKEN_ENCRYPTION_KEY, FATHOM_*).
// RSS and heap are sampled every 100 ms from before the sync starts until it stops.
import { startSyncFor } from "../../supabase/functions/_shared/fathom/backfill-state.ts";
import { runSyncStep } from "../../supabase/functions/_shared/fathom/backfill-step.ts";
import { RateLimitedUntil } from "../../supabase/functions/_shared/fathom/pacer.ts";
import { pacerFor } from "../../supabase/functions/_shared/fathom/pacer.ts";
import { closeDb } from "../../supabase/functions/_shared/db.ts";

const [integrationId, expectedText, mode = "list"] = Deno.args;
const expected = Number(expectedText);
if (!integrationId || !Number.isInteger(expected) || expected < 1 || !["list", "all"].includes(mode)) {
  console.error("usage: run-backfill.ts <integrationId> <expectedMeetings> [list|all]");
  Deno.exit(2);
}
const expectedPages = Math.ceil(expected / 10);
const STEP_BUDGET_MS = 120_000; // DRIVE_BUDGET_MS: what one driver invocation gets

// A separate connection for the one check "has the stage left list?", made only once the expected number of pages
// is in (so it costs one query per run, not one per page).

const memory = {
  rssStart: 0,
  rssPeak: 0,
  heapPeak: 0,
  samples: 0,
  /** live heap after a full GC, before and after the run (with --v8-flags=--expose-gc): a leak shows here */
  liveHeapStart: null as number | null,
  liveHeapEnd: null as number | null,
  /** rss at every tenth of the expected pages: growth over the run, not just its peak */
  rssTimeline: [] as number[],
};
const gc = (globalThis as { gc?: () => void }).gc;
const liveHeap = () => {
  if (!gc) return null;
  gc();
  return Deno.memoryUsage().heapUsed;
};
memory.liveHeapStart = liveHeap();
function sample() {
  const m = Deno.memoryUsage();
  memory.rssPeak = Math.max(memory.rssPeak, m.rss);
  memory.heapPeak = Math.max(memory.heapPeak, m.heapUsed);
  memory.samples++;
}
memory.rssStart = Deno.memoryUsage().rss;
sample();
const sampler = setInterval(sample, 100);

/** Thrown from afterCheckpoint to stop the step right after the list stage's last commit (mode "list"). */
const STOP = new RateLimitedUntil(Date.now() + 3_600_000, "Fathom");

let pages = 0;
let listDoneAt: number | null = null;
let contentCheckpoints = 0;
let steps = 0;
const states: Record<string, number> = {};
let started = 0;
let finished = 0;
let outcome = "unknown";

try {
  await startSyncFor(integrationId);
  started = Date.now();
  for (;;) {
    steps++;
    const result = await runSyncStep(integrationId, {
      budgetMs: STEP_BUDGET_MS,
      afterCheckpoint: (stage, detail) => {
        if (stage === "content") {
          contentCheckpoints++;
          return;
        }
        const before = pages;
        pages += detail?.pages ?? 1;
        const tenth = Math.max(1, Math.round(expectedPages / 10));
        if (Math.floor(pages / tenth) > Math.floor(before / tenth)) memory.rssTimeline.push(Deno.memoryUsage().rss);
        if (listDoneAt === null && detail?.listEnded) {
          listDoneAt = Date.now();
          if (mode === "list") throw STOP;
        }
      },
    });
    states[result.state] = (states[result.state] ?? 0) + 1;
    if (result.state === "more") continue;
    if (result.state === "paused" || result.state === "retry") {
      if (listDoneAt !== null && mode === "list") { // our own stop
        outcome = "list_done";
        break;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, result.resumeAfter - Date.now())));
      continue;
    }
    if (result.state === "busy") {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    outcome = result.state === "done" ? (mode === "all" ? "all_done" : "list_done") : result.state;
    if (result.state === "failed") outcome = `failed:${result.error}`;
    break;
  }
  finished = Date.now();
} finally {
  clearInterval(sampler);
  sample();
  memory.liveHeapEnd = liveHeap();
  await closeDb();
}

const pacer = pacerFor(integrationId).stats;
console.log(JSON.stringify({
  outcome,
  mode,
  pages,
  steps,
  states,
  contentCheckpoints,
  startedAt: started,
  listDoneAt,
  finishedAt: finished,
  listMs: listDoneAt === null ? null : listDoneAt - started,
  totalMs: finished - started,
  pacer,
  memory: { ...memory },
}));
