// A lead's timeline: its notes and its activity (meetings, stage changes, tasks, automation runs), newest first,
// keyset pages.
// One query reads a page of (kind, id, at) from every source (each branch an index range on lead_id), then one query
// per kind present loads the items' shapes. Members only (404 team_not_found for outsiders, lead_not_found for an
// unknown lead).
//
// TimelineItem = { id: "<kind>:<source id>" (unique), kind, at, ... } with
//   note         { note: Note }                                   at: created_at
//   meeting      { meeting: { id, title, recording_start_time } }  at: when it was recorded (else scheduled, imported)
//   stage_change { from, to, by: PersonRef | null, automation_run_id } at: changed_at
//   task         { task: Task }                                    at: created_at (a done task shows done)
//   automation_run { run: { id, rule_id, rule_name, status, error_message } }  at: created_at (runs whose subject is
//                the lead, automation_runs.lead_id; a run skipped because its conditions did not hold is left out:
//                nothing happened to the lead)
//   form_response { response: { id, form_id, form_title, answers: [{ field_id, title, type, value }] } }  at: submitted
//                (else received): a Typeform response imported onto the lead (typeform_responses)
// Order: at desc, then id desc (byte order), a total order: the cursor is base64url(JSON [at, id]).
import { z } from "zod";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { decodeJsonCursor, encodeJsonCursor, isSortKeyTimestamp, parseQuery } from "./common.ts";
import { leadVisible } from "./leads_store.ts";
import { getNotes, type Note } from "./notes.ts";
import { getTasks, type PersonRef, personJson, type Task } from "./tasks_store.ts";
import { teamRoute } from "./team_route.ts";

export const TIMELINE_PAGE_SIZE = 50;
export const TIMELINE_PAGE_MAX = 200;

export const TIMELINE_KINDS = ["note", "meeting", "stage_change", "task", "automation_run", "form_response"] as const;
export type TimelineKind = typeof TIMELINE_KINDS[number];

interface Base {
  id: string;
  at: Date;
}
export type TimelineItem =
  | Base & { kind: "note"; note: Note }
  | Base & { kind: "meeting"; meeting: { id: string; title: string; recording_start_time: Date | null } }
  | Base & {
    kind: "stage_change";
    from: string;
    to: string;
    by: PersonRef | null;
    automation_run_id: string | null;
  }
  | Base & { kind: "task"; task: Task }
  | Base & { kind: "automation_run"; run: RunRef }
  | Base & { kind: "form_response"; response: FormResponseRef };

/** A form response as the timeline shows it: the form's current title, the cleaned answers as stored. */
export interface FormResponseRef {
  id: string;
  form_id: string;
  form_title: string;
  answers: { field_id: string; title: string | null; type: string; value: string | number | boolean | string[] }[];
}

/** A run as the timeline shows it; rule_name is the rule's current name. */
export interface RunRef {
  id: string;
  rule_id: string;
  rule_name: string;
  status: string;
  error_message: string | null;
}

interface TimelineKey {
  at: string;
  id: string;
}

const cursorSchema = z.tuple([z.string().refine(isSortKeyTimestamp), z.string().regex(/^[a-z_]+:[0-9a-f-]{1,36}$/)]);

const listQuery = z.object({
  limit: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(TIMELINE_PAGE_MAX))
    .default(TIMELINE_PAGE_SIZE),
  cursor: z.string().max(500).optional().transform((v) => v || undefined),
});

type Entry = { kind: TimelineKind; key: string; ref: string; at: Date; at_text: string };

/** One page of (kind, key, source id, at) over every source of the lead's timeline. */
async function timelineEntries(tx: Tx, teamId: string, leadId: string, after: TimelineKey | undefined, limit: number) {
  const keyset = after
    ? tx`where (e.at, e.key collate "C") < (${after.at}::text::timestamptz, ${after.id}::text collate "C")`
    : tx``;
  const rows = await tx<Entry[]>`
    select e.kind, e.key, e.ref, e.at,
           to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_text
      from (
        select 'note' as kind, 'note:' || n.id as key, n.id::text as ref, n.created_at as at
          from public.lead_notes n where n.lead_id = ${leadId} and n.team_id = ${teamId}
        union all
        select 'meeting', 'meeting:' || m.id, m.id::text,
               coalesce(m.recording_start_time, m.scheduled_start_time, m.imported_at)
          from public.meeting_leads ml join public.meetings m on m.id = ml.meeting_id
         where ml.lead_id = ${leadId} and ml.team_id = ${teamId}
        union all
        select 'stage_change', 'stage_change:' || s.id, s.id::text, s.changed_at
          from public.lead_stage_changes s where s.lead_id = ${leadId} and s.team_id = ${teamId}
        union all
        select 'task', 'task:' || t.id, t.id::text, t.created_at
          from public.tasks t where t.lead_id = ${leadId} and t.team_id = ${teamId}
        union all
        select 'automation_run', 'automation_run:' || r.id, r.id::text, r.created_at
          from public.automation_runs r
         where r.lead_id = ${leadId} and r.team_id = ${teamId}
           and not (r.status = 'skipped' and r.skip_reason is not distinct from 'conditions')
        union all
        select 'form_response', 'form_response:' || fr.id, fr.id::text, coalesce(fr.submitted_at, fr.created_at)
          from public.typeform_responses fr where fr.lead_id = ${leadId} and fr.team_id = ${teamId}
      ) e
     ${keyset}
     order by e.at desc, e.key collate "C" desc
     limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next: rows.length > limit && last ? { at: last.at_text, id: last.key } : null };
}

async function meetingsById(tx: Tx, teamId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return await tx<{ id: string; title: string; recording_start_time: Date | null }[]>`
    select m.id, m.title, m.recording_start_time from public.meetings m
     where m.team_id = ${teamId} and m.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)`;
}

async function stageChangesById(tx: Tx, teamId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return await tx<{ id: string; from: string; to: string; by: PersonRef | null; automation_run_id: string | null }[]>`
    select s.id::text as id, s.from_stage as "from", s.to_stage as "to",
           ${personJson(tx, tx`s.changed_by`, tx`ps`)} as by, s.automation_run_id
      from public.lead_stage_changes s
      left join public.profiles ps on ps.id = s.changed_by
     where s.team_id = ${teamId}
       and s.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::bigint)`;
}

async function runsById(tx: Tx, teamId: string, ids: string[]): Promise<RunRef[]> {
  if (ids.length === 0) return [];
  return await tx<RunRef[]>`
    select r.id, r.rule_id, ru.name as rule_name, r.status, r.error_message
      from public.automation_runs r
      join public.automation_rules ru on ru.id = r.rule_id
     where r.team_id = ${teamId}
       and r.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)`;
}

async function formResponsesById(tx: Tx, teamId: string, ids: string[]): Promise<FormResponseRef[]> {
  if (ids.length === 0) return [];
  return await tx<FormResponseRef[]>`
    select fr.id, fr.form_id, coalesce(f.title, fr.form_title) as form_title, fr.answers
      from public.typeform_responses fr
      left join public.typeform_forms f on f.id = fr.form_row_id
     where fr.team_id = ${teamId}
       and fr.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)`;
}

/** A page of the lead's timeline (newest first) and the cursor after it, or null on the last page. */
export async function readTimeline(
  tx: Tx,
  teamId: string,
  leadId: string,
  after: TimelineKey | undefined,
  limit: number,
): Promise<{ items: TimelineItem[]; next: TimelineKey | null }> {
  const { page, next } = await timelineEntries(tx, teamId, leadId, after, limit);
  const refs = (kind: TimelineKind) => page.filter((e) => e.kind === kind).map((e) => e.ref);
  const [notes, meetings, changes, tasks, runs, responses] = await Promise.all([
    getNotes(tx, teamId, refs("note")),
    meetingsById(tx, teamId, refs("meeting")),
    stageChangesById(tx, teamId, refs("stage_change")),
    getTasks(tx, teamId, refs("task")),
    runsById(tx, teamId, refs("automation_run")),
    formResponsesById(tx, teamId, refs("form_response")),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [String(r.id), r]));
  const maps = {
    note: byId(notes),
    meeting: byId(meetings),
    stage_change: byId(changes),
    task: byId(tasks),
    automation_run: byId(runs),
    form_response: byId(responses),
  };
  const items: TimelineItem[] = [];
  for (const e of page) {
    const base = { id: e.key, at: e.at };
    switch (e.kind) {
      case "note": {
        const note = maps.note.get(e.ref);
        if (note) items.push({ ...base, kind: "note", note });
        break;
      }
      case "meeting": {
        const meeting = maps.meeting.get(e.ref);
        if (meeting) items.push({ ...base, kind: "meeting", meeting });
        break;
      }
      case "stage_change": {
        const change = maps.stage_change.get(e.ref);
        if (change) {
          const { id: _id, ...rest } = change;
          items.push({ ...base, kind: "stage_change", ...rest });
        }
        break;
      }
      case "task": {
        const task = maps.task.get(e.ref);
        if (task) items.push({ ...base, kind: "task", task });
        break;
      }
      case "automation_run": {
        const run = maps.automation_run.get(e.ref);
        if (run) items.push({ ...base, kind: "automation_run", run });
        break;
      }
      case "form_response": {
        const response = maps.form_response.get(e.ref);
        if (response) items.push({ ...base, kind: "form_response", response });
        break;
      }
    }
  }
  return { items, next };
}

const getTimeline = teamRoute(async ({ req, teamId, uuid, asMember }) => {
  const leadId = uuid("leadId");
  const query = parseQuery(req, listQuery);
  const after = query.cursor
    ? (([at, id]) => ({ at, id }))(decodeJsonCursor(query.cursor, cursorSchema))
    : undefined;
  const { items, next } = await asMember(async (tx) => {
    if (!await leadVisible(tx, teamId, leadId)) throw new AppError("lead_not_found", "Lead not found.");
    return await readTimeline(tx, teamId, leadId, after, query.limit);
  });
  return jsonResponse({ items, next_cursor: next ? encodeJsonCursor([next.at, next.id]) : null });
});

export const timelineRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/leads/:leadId/timeline", handler: getTimeline },
];
