// Leads and their e-mails as the caller sees and changes them: every statement runs in the caller's asUser
// transaction, so RLS decides (members read, create and edit; admins delete; an owner must be a team member).
import type { Tx } from "../../_shared/db.ts";
import { canonicalEmail } from "../../_shared/email.ts";
import { AppError } from "../../_shared/errors.ts";
import { containsPattern } from "./common.ts";

export const LEAD_STAGES = ["new", "contacted", "qualified", "proposal", "won", "lost"] as const;
export type LeadStage = typeof LEAD_STAGES[number];

export interface Lead {
  id: string;
  name: string;
  company: string | null;
  stage: LeadStage;
  owner_id: string | null;
  owner_email: string | null;
  notes: string | null;
  source: "manual" | "fathom";
  emails: string[];
  meeting_count: number;
  last_meeting_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The columns a client may write (exactly the column grants of public.leads). */
export interface LeadFields {
  name?: string;
  company?: string | null;
  stage?: LeadStage;
  owner_id?: string | null;
  notes?: string | null;
}

/** The Lead columns; `extra` adds columns (e.g. a page's sort key) after them. */
function leadSelect(tx: Tx, extra = tx``) {
  return tx`
    select ${extra} l.id, l.name, l.company, l.stage, l.owner_id, p.email as owner_email, l.notes, l.source,
           coalesce((select json_agg(e.email order by e.created_at, e.email_normalized)
                       from public.lead_emails e where e.lead_id = l.id), '[]'::json) as emails,
           (select count(*)::int from public.meeting_leads ml where ml.lead_id = l.id) as meeting_count,
           (select max(coalesce(m.recording_start_time, m.scheduled_start_time, m.imported_at))
              from public.meeting_leads ml
              join public.meetings m on m.id = ml.meeting_id
             where ml.lead_id = l.id) as last_meeting_at,
           l.created_at, l.updated_at
      from public.leads l
      left join public.profiles p on p.id = l.owner_id`;
}

/** The orders a leads list can be read in: newest first, or by name (case-insensitively, A-Z). */
export const LEAD_SORTS = ["created", "name"] as const;
export type LeadSort = typeof LEAD_SORTS[number];

/**
 * Position after which a page starts: the sort it belongs to, the last row's sort key (`created`: created_at in
 * UTC with microseconds, as text; `name`: lower(name)) and its id. (sort key, id) is a total order.
 */
export interface LeadKey {
  sort: LeadSort;
  key: string;
  id: string;
}

export interface LeadFilter {
  /** matches name, company or any e-mail, case-insensitively */
  q?: string;
  stage?: LeadStage;
  /** a member's user id, or "none" for unassigned leads */
  owner?: string;
  /** canonical e-mails (email.ts): leads having any of them */
  emails?: string[];
  sort: LeadSort;
  after?: LeadKey;
  limit: number;
}

type LeadRow = Lead & { sort_key: string };

/**
 * One page (limit rows) of the team's leads matching the filter, plus the key to continue after, or null when this
 * was the last page. Keyset pagination over (sort key, id), backed by leads_team_created_idx / leads_team_name_idx.
 */
export async function listLeads(
  tx: Tx,
  teamId: string,
  filter: LeadFilter,
): Promise<{ leads: Lead[]; next: LeadKey | null }> {
  const pattern = filter.q ? containsPattern(filter.q) : null;
  const byName = filter.sort === "name";
  const sortKey = byName
    ? tx`lower(l.name)`
    : tx`to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const rows = await tx<LeadRow[]>`
    ${leadSelect(tx, tx`${sortKey} as sort_key,`)}
     where l.team_id = ${teamId}
       ${
    pattern
      ? tx`and (l.name ilike ${pattern} or l.company ilike ${pattern}
                   or exists (select 1 from public.lead_emails e where e.lead_id = l.id and e.email ilike ${pattern}))`
      : tx``
  }
       ${filter.stage ? tx`and l.stage = ${filter.stage}` : tx``}
       ${
    filter.owner === "none"
      ? tx`and l.owner_id is null`
      : filter.owner
      ? tx`and l.owner_id = ${filter.owner}::uuid`
      : tx``
  }
       ${
    filter.emails?.length
      ? tx`and exists (select 1 from public.lead_emails e
                        where e.lead_id = l.id
                          and e.email_normalized in (select jsonb_array_elements_text(${
        JSON.stringify(filter.emails)
      }::text::jsonb)))`
      : tx``
  }
       ${
    filter.after
      ? byName
        ? tx`and (lower(l.name), l.id) > (${filter.after.key}, ${filter.after.id}::uuid)`
        : tx`and (l.created_at, l.id) < (${filter.after.key}::text::timestamptz, ${filter.after.id}::uuid)`
      : tx``
  }
     order by ${byName ? tx`lower(l.name), l.id` : tx`l.created_at desc, l.id desc`}
     limit ${filter.limit + 1}`;
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next = rows.length > filter.limit && last ? { sort: filter.sort, key: last.sort_key, id: last.id } : null;
  return { leads: page.map(({ sort_key: _key, ...lead }) => lead), next };
}

export async function getLead(tx: Tx, teamId: string, leadId: string): Promise<Lead | null> {
  const rows = await tx<Lead[]>`${leadSelect(tx)} where l.id = ${leadId} and l.team_id = ${teamId}`;
  return rows[0] ?? null;
}

/** Is the user a member of the team (as far as the caller can see, i.e. through RLS)? */
export async function isTeamMember(tx: Tx, teamId: string, userId: string): Promise<boolean> {
  const rows = await tx`select 1 from public.team_members where team_id = ${teamId} and user_id = ${userId}`;
  return rows.length > 0;
}

function defined(fields: LeadFields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export async function insertLead(tx: Tx, teamId: string, fields: LeadFields): Promise<string> {
  const row = { ...defined(fields), team_id: teamId };
  const [{ id }] = await tx<{ id: string }[]>`insert into public.leads ${tx(row)} returning id`;
  return id;
}

/** Applies the changes (none: only touches updated_at); false when the caller cannot see such a lead. */
export async function updateLead(tx: Tx, teamId: string, leadId: string, fields: LeadFields): Promise<boolean> {
  const changes = defined(fields);
  const rows = await tx`
    update public.leads set ${Object.keys(changes).length > 0 ? tx(changes) : tx`name = name`}
     where id = ${leadId} and team_id = ${teamId}
    returning id`;
  return rows.length > 0;
}

/** Deletes the lead; false when nothing was deleted (unknown, invisible, or RLS refused: the caller is no admin). */
export async function deleteLead(tx: Tx, teamId: string, leadId: string): Promise<boolean> {
  const rows = await tx`delete from public.leads where id = ${leadId} and team_id = ${teamId} returning id`;
  return rows.length > 0;
}

/**
 * Adds e-mails (valid, trimmed NFC spellings: see _shared/email.ts) to a lead. An e-mail that already belongs to a
 * lead of the team (same canonical form) is 409 email_taken, thrown inside the transaction so that nothing of the
 * request is written. The database links each new e-mail to the team's meetings it attended, in this transaction
 * (trigger lead_emails_link_meetings, migration 20261130000100).
 */
export async function addEmails(tx: Tx, teamId: string, leadId: string, emails: string[]): Promise<void> {
  if (emails.length === 0) return;
  const inserted = await tx<{ email_normalized: string }[]>`
    insert into public.lead_emails (lead_id, team_id, email)
    select ${leadId}::uuid, ${teamId}::uuid, e
      from jsonb_array_elements_text(${JSON.stringify(emails)}::text::jsonb) as e
    on conflict (team_id, email_normalized) do nothing
    returning email_normalized`;
  const added = new Set(inserted.map((row) => row.email_normalized));
  const taken = emails.filter((email) => !added.has(canonicalEmail(email)));
  if (taken.length > 0) throw emailTaken(taken);
}

export function emailTaken(emails: string[]): AppError {
  const list = emails.join(", ");
  return new AppError(
    "email_taken",
    emails.length === 1
      ? `${list} already belongs to another lead of this team.`
      : `These e-mails already belong to other leads of this team: ${list}.`,
  );
}

/** Makes the lead's e-mails exactly `emails`: removes the others, adds the new ones, updates a changed spelling. */
export async function replaceEmails(tx: Tx, teamId: string, leadId: string, emails: string[]): Promise<void> {
  const current = await tx<{ email: string; email_normalized: string }[]>`
    select email, email_normalized from public.lead_emails where lead_id = ${leadId} and team_id = ${teamId}`;
  const wanted = new Map(emails.map((email) => [canonicalEmail(email), email]));
  const have = new Map(current.map((row) => [row.email_normalized, row.email]));
  const removed = current.filter((row) => !wanted.has(row.email_normalized)).map((row) => row.email_normalized);
  if (removed.length > 0) {
    await tx`
      delete from public.lead_emails
       where lead_id = ${leadId}
         and email_normalized in (select jsonb_array_elements_text(${JSON.stringify(removed)}::text::jsonb))`;
  }
  for (const [normalized, email] of wanted) {
    const existing = have.get(normalized);
    if (existing !== undefined && existing !== email) {
      await tx`update public.lead_emails set email = ${email}
                where lead_id = ${leadId} and email_normalized = ${normalized}`;
    }
  }
  await addEmails(tx, teamId, leadId, [...wanted].filter(([n]) => !have.has(n)).map(([, email]) => email));
}

/** Whether the caller can see the lead at all (to tell "not yours to delete" from "no such lead"). */
export async function leadVisible(tx: Tx, teamId: string, leadId: string): Promise<boolean> {
  const rows = await tx`select 1 from public.leads where id = ${leadId} and team_id = ${teamId}`;
  return rows.length > 0;
}
