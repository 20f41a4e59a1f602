// Bench trickle (Deno; bench/automations/bench.mjs, latency part): meetings imported one by one at a steady pace
// through the product's importer (_shared/fathom/import.ts importMeeting, source "webhook", as the webhook inbox
// imports a delivery), for the team's existing leads 0..count-1; each import's transaction writes its
// meeting.linked_to_lead event. A slow import delays the next one; the pace is kept on a fixed schedule
// (start + k * interval), not by sleeping a fixed time after each.
//
//   deno run -A bench/automations/trickle.ts <teamId> <count> <intervalMs> <recordingBase>
//
// Prints one JSON line: {startedAt, endedAt (epoch ms), imported, lateMs (the largest lag behind the schedule)}.
import { asService, closeDb } from "../../supabase/functions/_shared/db.ts";
import { importMeeting } from "../../supabase/functions/_shared/fathom/import.ts";
import type { FathomMeeting } from "../../supabase/functions/_shared/fathom/client.ts";
import { wireMeeting } from "./data.ts";

const [teamId, countText, intervalText, baseText] = Deno.args;
const count = Number(countText);
const intervalMs = Number(intervalText);
const recordingBase = Number(baseText);
if (!teamId || !(count > 0) || !(intervalMs > 0) || !Number.isInteger(recordingBase)) {
  console.error("usage: trickle.ts <teamId> <count> <intervalMs> <recordingBase>");
  Deno.exit(2);
}

await asService((tx) => tx`select 1`);
const startedAt = Date.now();
let lateMs = 0;
let imported = 0;
try {
  for (let i = 0; i < count; i++) {
    const due = startedAt + i * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else lateMs = Math.max(lateMs, -wait);
    const meeting = wireMeeting(i, recordingBase + i) as unknown as FathomMeeting;
    await asService((tx) => importMeeting(tx, { teamId, integrationId: null, meeting, source: "webhook" }));
    imported++;
  }
} finally {
  await closeDb();
}
console.log(JSON.stringify({ startedAt, endedAt: Date.now(), imported, lateMs }));
