// Meetings as a team member sees them (every query runs in the caller's asUser transaction, so RLS decides).
// Order: newest first by coalesce(recording_start_time, scheduled_start_time, imported_at), then id: a total
// order, so keyset pagination over (sort key, id) visits every meeting exactly once.
import type { Tx } from "../../_shared/db.ts";
import {
  actionItemsSection,
  cleanUrl,
  inviteesSection,
  recordedBySection,
  transcriptSection,
} from "../../_shared/fathom/wire.ts";
import { problemSentence } from "../../_shared/activity/sentences.ts";
import { contentDeliveryWaitColumn } from "../../_shared/meetings/content-deadline.ts";
import { type ContentReason, reportedContentColumns } from "../../_shared/meetings/mod.ts";
import { getProvider, isProviderId } from "../../_shared/oauth/registry.ts";
import { containsPattern } from "./common.ts";
import { type ActionItemTask, actionItemTasks } from "./tasks_store.ts";

export interface LeadRef {
  id: string;
  name: string;
}

export interface MeetingSummary {
  id: string;
  /** the meeting's source: a provider slug ('fathom', 'zoom', ...) */
  provider: string;
  /** the provider's id for the meeting, as text (Fathom: the recording id in decimal) */
  provider_meeting_id: string;
  title: string;
  meeting_title: string | null;
  recording_start_time: Date | null;
  recording_end_time: Date | null;
  scheduled_start_time: Date | null;
  url: string | null;
  share_url: string | null;
  recorded_by: unknown;
  invitees: unknown[];
  /**
   * 'unavailable': the provider's transcript did not come within its wait (content-deadline.ts); the stored row
   * stays pending, so a late transcript still completes it
   */
  content_status: "pending" | "complete" | "failed" | "unavailable";
  /** why the content is unavailable; null otherwise */
  content_reason: ContentReason | null;
  /** when the provider told us the recording was deleted there (content_reason 'deleted_at_provider'); else null */
  provider_deleted_at: Date | null;
  /** while a pushed transcript is awaited (Zoom), when the wait ends (content-deadline.ts); else null */
  content_wait_until: Date | null;
  leads: LeadRef[];
}

/**
 * A pending meeting whose provider sent its content, but whose import is held back after a failed attempt, or was
 * given up on after its last one (content-deadline.ts contentDeliveryWaitColumn): `kind` rate_limited (the
 * provider's rate limit, still retrying) or download_failed (its error, a timeout, unreachable; always once final);
 * `reason` the attempt's reason as a sentence naming the provider; `retry_at` the next attempt (ISO time), null once
 * final; `final` true when the inbox gave up (delivery 'failed'): only an admin's retry (POST
 * .../integrations/:provider/activity/retry, kind "delivery", id `delivery_id`) imports it now; `delivery_id` the
 * webhook delivery's id.
 */
export interface ContentWaiting {
  kind: "rate_limited" | "download_failed";
  reason: string | null;
  retry_at: string | null;
  final: boolean;
  delivery_id: string | null;
}

/** A meeting's action item as the meeting page shows it, with the task made from it (tasks_store.actionItemTasks). */
export type ActionItemWithTask = Record<string, unknown> & { task: ActionItemTask | null };

export interface MeetingDetail extends MeetingSummary {
  /** null unless the content's import is held back after a failed attempt */
  content_waiting: ContentWaiting | null;
  transcript: unknown[] | null;
  summary_markdown: string | null;
  action_items: ActionItemWithTask[] | null;
  language: string | null;
  source: string;
  imported_at: Date;
}

/** Position after which a page starts: the last row's sort key (UTC, microseconds, as text) and id. */
export interface MeetingKey {
  sortKey: string;
  id: string;
}

export interface MeetingFilter {
  q?: string;
  leadId?: string;
  after?: MeetingKey;
  limit: number;
}

type SummaryRow = MeetingSummary & { sort_key: string };

const sortKey = (tx: Tx) => tx`coalesce(m.recording_start_time, m.scheduled_start_time, m.imported_at)`;

function summaryColumns(tx: Tx) {
  return tx`
    m.id, m.provider, m.provider_meeting_id, m.title, m.meeting_title, m.recording_start_time, m.recording_end_time,
    m.scheduled_start_time, m.url, m.share_url, m.recorded_by, m.invitees,
    ${reportedContentColumns(tx)},
    coalesce((select json_agg(json_build_object('id', l.id, 'name', l.name) order by lower(l.name), l.id)
                from public.meeting_leads ml
                join public.leads l on l.id = ml.lead_id
               where ml.meeting_id = m.id), '[]'::json) as leads,
    to_char(${sortKey(tx)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key`;
}

/**
 * A row as the app renders it: links http(s) only, recorded_by and invitees in their one shape (wire.ts), whatever an
 * older import stored (rows written before the import cleaned its input).
 */
function toSummary<T extends MeetingSummary>(row: SummaryRow): T {
  const { sort_key: _sortKey, ...rest } = row;
  const r = rest as Record<string, unknown>;
  return {
    ...rest,
    url: cleanUrl(r.url),
    share_url: cleanUrl(r.share_url),
    recorded_by: recordedBySection.parse(r.recorded_by),
    invitees: inviteesSection.parse(r.invitees),
  } as T;
}

/** One page (limit rows) plus the key to continue after, or null when this was the last page. */
export async function listMeetings(
  tx: Tx,
  teamId: string,
  filter: MeetingFilter,
): Promise<{ meetings: MeetingSummary[]; next: MeetingKey | null }> {
  const pattern = filter.q ? containsPattern(filter.q) : null;
  const rows = await tx<SummaryRow[]>`
    select ${summaryColumns(tx)}
      from public.meetings m
     where m.team_id = ${teamId}
       ${
    pattern
      ? tx`and (m.title ilike ${pattern} or m.meeting_title ilike ${pattern}
                   or exists (select 1 from jsonb_array_elements(m.invitees) i
                               where i ->> 'name' ilike ${pattern} or i ->> 'email' ilike ${pattern}))`
      : tx``
  }
       ${
    filter.leadId
      ? tx`and exists (select 1 from public.meeting_leads ml
                           where ml.meeting_id = m.id and ml.lead_id = ${filter.leadId})`
      : tx``
  }
       ${
    filter.after
      ? tx`and (${sortKey(tx)}, m.id) < (${filter.after.sortKey}::text::timestamptz, ${filter.after.id}::uuid)`
      : tx``
  }
     order by ${sortKey(tx)} desc, m.id desc
     limit ${filter.limit + 1}`;
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next = rows.length > filter.limit && last ? { sortKey: last.sort_key, id: last.id } : null;
  return { meetings: page.map((row) => toSummary<MeetingSummary>(row)), next };
}

/** The meeting's content status, or null when the caller cannot see it (unknown, or another team's). */
export async function meetingContentStatus(tx: Tx, teamId: string, meetingId: string): Promise<string | null> {
  const rows = await tx<{ content_status: string }[]>`
    select content_status from public.meetings where id = ${meetingId} and team_id = ${teamId}`;
  return rows[0]?.content_status ?? null;
}

/** The stored wait (content-deadline.ts contentDeliveryWaitColumn) as ContentWaiting, its reason a sentence. */
function contentWaiting(
  provider: string,
  raw: { id?: unknown; status?: unknown; error?: unknown; retry_at?: unknown } | null,
): ContentWaiting | null {
  if (!raw || typeof raw.error !== "string") return null;
  const name = isProviderId(provider) ? getProvider(provider).displayName : "The provider";
  const final = raw.status === "failed";
  const rateLimited = raw.error === "RateLimitedUntil" || raw.error === "rate_limited" || /(?:^|_)http_429$/.test(raw.error);
  const retryAt = !final && typeof raw.retry_at === "string" && !Number.isNaN(Date.parse(raw.retry_at))
    ? new Date(raw.retry_at).toISOString()
    : null;
  return {
    kind: rateLimited && !final ? "rate_limited" : "download_failed",
    reason: problemSentence(raw.error, name),
    retry_at: retryAt,
    final,
    delivery_id: typeof raw.id === "string" ? raw.id : null,
  };
}

export async function getMeeting(tx: Tx, teamId: string, meetingId: string): Promise<MeetingDetail | null> {
  const rows = await tx<(SummaryRow & Omit<MeetingDetail, keyof MeetingSummary> & { content_delivery_wait: unknown })[]>`
    select ${summaryColumns(tx)}, ${contentDeliveryWaitColumn(tx)},
           m.transcript, m.summary_markdown, m.action_items, m.language, m.source, m.imported_at
      from public.meetings m
     where m.id = ${meetingId} and m.team_id = ${teamId}`;
  if (!rows[0]) return null;
  const { content_delivery_wait: wait, ...row } = rows[0];
  // content too in the shapes the app renders (a number where "HH:MM:SS" belongs, an object where a string does)
  const base = toSummary<MeetingDetail>(row);
  // the wait's end (content-deadline.ts) says the provider sent nothing; a delivery of it that failed says it did
  const awaited = base.content_status === "pending" ||
    (base.content_status === "unavailable" && base.content_reason === "no_transcript");
  const waiting = awaited ? contentWaiting(base.provider, wait as Parameters<typeof contentWaiting>[1]) : null;
  const detail = {
    ...base,
    ...(waiting ? { content_status: "pending" as const, content_reason: null } : {}),
    content_waiting: waiting,
  };
  const items = actionItemsSection.parse(detail.action_items);
  const tasks = items?.length ? await actionItemTasks(tx, teamId, meetingId) : new Map();
  return {
    ...detail,
    transcript: transcriptSection.parse(detail.transcript),
    action_items: items?.map((item, i) => ({ ...item, task: tasks.get(i) ?? null })) ?? null,
  };
}

/**
 * What a task made from one of the meeting's action items needs: the items' texts, indexed as the meeting page
 * shows them (actionItemsSection), and the ids of the leads linked to it; null when the caller cannot see it.
 */
export async function meetingForTasks(
  tx: Tx,
  teamId: string,
  meetingId: string,
): Promise<{ id: string; title: string; action_items: string[]; lead_ids: string[] } | null> {
  const rows = await tx<{ id: string; title: string; action_items: unknown; lead_ids: string[] }[]>`
    select m.id, m.title, m.action_items,
           coalesce((select array_agg(ml.lead_id::text order by ml.created_at, ml.lead_id)
                       from public.meeting_leads ml where ml.meeting_id = m.id), '{}') as lead_ids
      from public.meetings m
     where m.id = ${meetingId} and m.team_id = ${teamId}`;
  const row = rows[0];
  if (!row) return null;
  const items = actionItemsSection.parse(row.action_items) ?? [];
  return { id: row.id, title: row.title, action_items: items.map((item) => item.description), lead_ids: row.lead_ids };
}
