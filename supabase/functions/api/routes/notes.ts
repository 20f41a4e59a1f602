// A lead's notes (lead_notes, migration 20261203000100; the notes of the lead timeline): add, edit, delete. Any
// member adds; the author or an admin edits and deletes (RLS decides; the handlers only explain a refusal with 403
// forbidden). The body is markdown, 1-20,000 characters after trim, stored trimmed; the app renders it safely.
// Errors: 400 invalid_request (body), 404 lead_not_found / note_not_found, 403 forbidden.
import { z } from "zod";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { leadVisible } from "./leads_store.ts";
import { type PersonRef, personJson } from "./tasks_store.ts";
import { teamRoute } from "./team_route.ts";

export const NOTE_BODY_MAX = 20_000;

export interface Note {
  id: string;
  /** markdown */
  body: string;
  author: PersonRef | null;
  source: "person" | "automation" | "migrated";
  automation_run_id: string | null;
  created_at: Date;
  updated_at: Date;
  /** the caller may edit and delete it: its author, or an owner or admin of the team */
  can_edit: boolean;
}

const noteBody = z.strictObject({ body: z.string().trim().min(1).max(NOTE_BODY_MAX) });

function noteSelect(tx: Tx) {
  return tx`
    select n.id, n.body, ${personJson(tx, tx`n.author_id`, tx`pn`)} as author, n.source, n.automation_run_id,
           n.created_at, n.updated_at,
           -- coalesce: a note without author (an automation's, a migrated one) is false, not null, for members
           (coalesce(n.author_id = (select auth.uid()), false) or private.is_team_admin(n.team_id)) as can_edit
      from public.lead_notes n
      left join public.profiles pn on pn.id = n.author_id`;
}

/** Notes by id (the timeline), in no particular order. */
export async function getNotes(tx: Tx, teamId: string, ids: string[]): Promise<Note[]> {
  if (ids.length === 0) return [];
  return await tx<Note[]>`
    ${noteSelect(tx)}
     where n.team_id = ${teamId} and n.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::text::jsonb)::uuid)`;
}

async function getNote(tx: Tx, teamId: string, leadId: string, noteId: string): Promise<Note | null> {
  const rows = await tx<Note[]>`
    ${noteSelect(tx)} where n.id = ${noteId} and n.lead_id = ${leadId} and n.team_id = ${teamId}`;
  return rows[0] ?? null;
}

/** Adds a note by the caller to the lead (which the caller's transaction has seen); returns its id. */
export async function insertNote(tx: Tx, teamId: string, leadId: string, body: string): Promise<string> {
  const [{ id }] = await tx<{ id: string }[]>`
    insert into public.lead_notes (team_id, lead_id, body) values (${teamId}, ${leadId}, ${body.trim()})
    returning id`;
  return id;
}

async function noteVisible(tx: Tx, teamId: string, leadId: string, noteId: string): Promise<boolean> {
  const rows = await tx`
    select 1 from public.lead_notes where id = ${noteId} and lead_id = ${leadId} and team_id = ${teamId}`;
  return rows.length > 0;
}

/** After RLS changed nothing: 403 when the caller can see the note (not theirs), else 404. */
async function refusal(tx: Tx, teamId: string, leadId: string, noteId: string): Promise<never> {
  if (await noteVisible(tx, teamId, leadId, noteId)) {
    throw new AppError("forbidden", "Only the note's author or a team admin can change it.");
  }
  throw new AppError("note_not_found", "Note not found.");
}

const createNote = teamRoute(async ({ teamId, uuid, body, asMember }) => {
  const leadId = uuid("leadId");
  const input = await body(noteBody);
  const note = await asMember(async (tx) => {
    if (!await leadVisible(tx, teamId, leadId)) throw new AppError("lead_not_found", "Lead not found.");
    const id = await insertNote(tx, teamId, leadId, input.body);
    return await getNote(tx, teamId, leadId, id);
  });
  return jsonResponse({ note }, 201);
});

const patchNote = teamRoute(async ({ teamId, uuid, body, asMember }) => {
  const leadId = uuid("leadId");
  const noteId = uuid("noteId");
  const input = await body(noteBody);
  const note = await asMember(async (tx) => {
    const rows = await tx`
      update public.lead_notes set body = ${input.body}
       where id = ${noteId} and lead_id = ${leadId} and team_id = ${teamId}
      returning id`;
    if (rows.length === 0) await refusal(tx, teamId, leadId, noteId);
    return await getNote(tx, teamId, leadId, noteId);
  });
  return jsonResponse({ note });
});

const removeNote = teamRoute(async ({ teamId, uuid, asMember }) => {
  const leadId = uuid("leadId");
  const noteId = uuid("noteId");
  await asMember(async (tx) => {
    const rows = await tx`
      delete from public.lead_notes where id = ${noteId} and lead_id = ${leadId} and team_id = ${teamId}
      returning id`;
    if (rows.length === 0) await refusal(tx, teamId, leadId, noteId);
  });
  return new Response(null, { status: 204 });
});

export const noteRoutes: Route[] = [
  { method: "POST", path: "/api/teams/:teamId/leads/:leadId/notes", handler: createNote },
  { method: "PATCH", path: "/api/teams/:teamId/leads/:leadId/notes/:noteId", handler: patchNote },
  { method: "DELETE", path: "/api/teams/:teamId/leads/:leadId/notes/:noteId", handler: removeNote },
];
