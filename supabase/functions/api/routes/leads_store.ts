// Leads and their e-mails as the caller sees and changes them: every statement runs in the caller's asUser
// transaction, so RLS decides (members read, create and edit; admins delete; an owner must be a team member).
import type { Tx } from "../../_shared/db.ts";
import { canonicalEmail } from "../../_shared/email.ts";
import { AppError } from "../../_shared/errors.ts";
import { containsPattern } from "./common.ts";

import type { LeadStage } from "../../_shared/lead_stages.ts";

export { LEAD_STAGES, type LeadStage } from "../../_shared/lead_stages.ts";

export interface Lead {
  id: string;
  name: string;
  company: string | null;
  stage: LeadStage;
  owner_id: string | null;
  owner_email: string | null;
  /** 'manual', or the slug of the provider that created it ('fathom', 'zoom', 'typeform', ...: leads_source_check) */
  source: string;
  /** a Typeform lead's form: the title of its first response's form (as it was then); null for other sources */
  source_form_title: string | null;
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
}

/**
 * The Lead columns; `extra` adds columns (e.g. a page's sort key) after them. The last meeting is a lateral join
 * (`lm.at`) so that a list can sort and page by it without computing it twice.
 */
function leadSelect(tx: Tx, extra = tx``) {
  return tx`
    select ${extra} l.id, l.name, l.company, l.stage, l.owner_id, p.email as owner_email, l.source,
           coalesce((select json_agg(e.email order by e.created_at, e.email_normalized)
                       from public.lead_emails e where e.lead_id = l.id), '[]'::json) as emails,
           (select count(*)::int from public.meeting_leads ml where ml.lead_id = l.id) as meeting_count,
           lm.at as last_meeting_at,
           l.created_at, l.updated_at,
           -- one indexed look-up (typeform_responses_lead_idx), only for Typeform's leads
           case when l.source = 'typeform' then
             (select r.form_title from public.typeform_responses r
               where r.lead_id = l.id
               order by r.submitted_at nulls last, r.created_at, r.id limit 1)
           end as source_form_title
      from public.leads l
      left join public.profiles p on p.id = l.owner_id
      left join lateral (
        select max(coalesce(m.recording_start_time, m.scheduled_start_time, m.imported_at)) as at
          from public.meeting_leads ml
          join public.meetings m on m.id = ml.meeting_id
         where ml.lead_id = l.id) lm on true`;
}

/**
 * The orders a leads list can be read in, each ascending or descending: `created` (created_at), `name`
 * (lower(name)), `stage` (pipeline order new -> lost, not alphabetical), `owner` (the owner's name, else e-mail,
 * case-insensitively; unassigned last) and `last_meeting` (the lead's latest meeting; none last).
 */
export const LEAD_SORTS = ["created", "name", "stage", "owner", "last_meeting"] as const;
export type LeadSort = typeof LEAD_SORTS[number];
export const SORT_DIRS = ["asc", "desc"] as const;
export type SortDir = typeof SORT_DIRS[number];

/** The direction a sort takes when none is given: dates newest first, the others A-Z / pipeline order. */
export const DEFAULT_SORT_DIR: Record<LeadSort, SortDir> = {
  created: "desc",
  name: "asc",
  stage: "asc",
  owner: "asc",
  last_meeting: "desc",
};

/** What kind of value a sort key is: how a cursor's text is checked, and cast back for the comparison. */
export const LEAD_SORT_KEY_KIND: Record<LeadSort, "timestamp" | "text" | "rank"> = {
  created: "timestamp",
  name: "text",
  stage: "rank",
  owner: "text",
  last_meeting: "timestamp",
};

/**
 * Position after which a page starts: the sort and direction it belongs to, the last row's sort key as text
 * (timestamps in UTC with microseconds, as `to_char` prints them; `stage` its 1-based rank; text keys lower-cased)
 * or null when the row has none (owner, last meeting), and its id. (sort key, id) is a total order; rows without a
 * key come last in both directions.
 */
export interface LeadKey {
  sort: LeadSort;
  dir: SortDir;
  key: string | null;
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
  dir: SortDir;
  after?: LeadKey;
  limit: number;
}

type LeadRow = Lead & { sort_key: string | null };

const timestampText = (tx: Tx, expr: ReturnType<Tx>) =>
  tx`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * A sort's key as SQL over `l` (leads), `p` (owner profile) and `lm` (last meeting) from leadSelect: `value` is
 * what rows are ordered and compared by, `text` its cursor form, `param` a cursor key cast back to `value`'s type
 * (timestamps cast from text: a Date parameter would lose the microseconds), `nullable` whether rows may lack it.
 */
function sortKeySql(tx: Tx, sort: LeadSort) {
  switch (sort) {
    case "created":
      return {
        value: tx`l.created_at`,
        text: timestampText(tx, tx`l.created_at`),
        param: (key: string) => tx`${key}::text::timestamptz`,
        nullable: false,
      };
    case "last_meeting":
      return {
        value: tx`lm.at`,
        text: timestampText(tx, tx`lm.at`),
        param: (key: string) => tx`${key}::text::timestamptz`,
        nullable: true,
      };
    case "name":
      return {
        value: tx`lower(l.name)`,
        text: tx`lower(l.name)`,
        param: (key: string) => tx`${key}::text`,
        nullable: false,
      };
    case "owner": {
      // the name the list shows for the owner (members list: full name, else e-mail); null when unassigned
      const value = tx`lower(coalesce(nullif(btrim(p.full_name), ''), p.email))`;
      return { value, text: value, param: (key: string) => tx`${key}::text`, nullable: true };
    }
    case "stage": {
      // pipeline order; the literal list is LEAD_STAGES (the table's check constraint allows no other stage)
      const value = tx`
        array_position(array['new', 'contacted', 'qualified', 'proposal', 'won', 'lost']::text[], l.stage)`;
      return { value, text: tx`${value}::text`, param: (key: string) => tx`${key}::text::int`, nullable: false };
    }
  }
}

/**
 * One page (limit rows) of the team's leads matching the filter, plus the key to continue after, or null when this
 * was the last page. Keyset pagination over (sort key, id) in the sort's direction, rows without a key last
 * (`nulls last` both ways); created and name are backed by leads_team_created_idx / leads_team_name_idx, the others
 * are computed per row of the team (a team's leads, not the whole table).
 */
export async function listLeads(
  tx: Tx,
  teamId: string,
  filter: LeadFilter,
): Promise<{ leads: Lead[]; next: LeadKey | null }> {
  const pattern = filter.q ? containsPattern(filter.q) : null;
  const key = sortKeySql(tx, filter.sort);
  const desc = filter.dir === "desc";
  const after = filter.after;
  // after (k, id): rows further along (sort key, id) in this direction, then every keyless row; after a keyless
  // row (k null), only keyless rows further along by id
  const keyset = !after
    ? tx``
    : after.key === null
    ? desc
      ? tx`and ${key.value} is null and l.id < ${after.id}::uuid`
      : tx`and ${key.value} is null and l.id > ${after.id}::uuid`
    : desc
    ? tx`and ((${key.value}, l.id) < (${key.param(after.key)}, ${after.id}::uuid)
              ${key.nullable ? tx`or ${key.value} is null` : tx``})`
    : tx`and ((${key.value}, l.id) > (${key.param(after.key)}, ${after.id}::uuid)
              ${key.nullable ? tx`or ${key.value} is null` : tx``})`;
  const rows = await tx<LeadRow[]>`
    ${leadSelect(tx, tx`${key.text} as sort_key,`)}
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
       ${keyset}
     order by ${desc ? tx`${key.value} desc nulls last, l.id desc` : tx`${key.value} asc nulls last, l.id asc`}
     limit ${filter.limit + 1}`;
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next = rows.length > filter.limit && last
    ? { sort: filter.sort, dir: filter.dir, key: last.sort_key, id: last.id }
    : null;
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
