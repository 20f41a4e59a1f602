// The baseline of bench/automations (Deno): the same side effects the three rules make, written directly, with no
// engine (no claims, runs, steps or leases): per (meeting, rule) one transaction (two tasks / one note / the stage
// update), slice `i` of `k` of the team's meetings, on one connection pool like a runner. Prints { ms, writes }.
import { asService, closeDb } from "../../supabase/functions/_shared/db.ts";

const [teamId, sliceArg, slicesArg] = Deno.args;
const slice = Number(sliceArg);
const slices = Number(slicesArg);
const pairs = await asService((tx) => tx`
  select m.id as meeting_id, ml.lead_id from public.meetings m join public.meeting_leads ml on ml.meeting_id = m.id
   where m.team_id = ${teamId} order by m.id`);
const mine = pairs.filter((_, i) => i % slices === slice);
const started = performance.now();
let writes = 0;
for (const { meeting_id, lead_id } of mine) {
  await asService(async (tx) => {
    for (const index of [0, 1]) {
      await tx`insert into public.tasks (team_id, lead_id, meeting_id, action_item_index, title, due_on, source, source_key)
               values (${teamId}, ${lead_id}, ${meeting_id}, ${index}, ${"Item " + index}, current_date + 3, 'automation',
                       ${`baseline:${meeting_id}:${index}`})
               on conflict do nothing`;
    }
  });
  await asService((tx) => tx`insert into public.lead_notes (team_id, lead_id, body, source, source_key)
                             values (${teamId}, ${lead_id}, 'Met', 'automation', ${`baseline:${meeting_id}`})
                             on conflict do nothing`);
  await asService((tx) => tx`update public.leads set stage = 'contacted' where id = ${lead_id} and stage = 'new'`);
  writes += 3;
}
const ms = Math.round(performance.now() - started);
await closeDb();
console.log(JSON.stringify({ ms, writes }));
