// What an integration did, read in the caller's transaction (the api's member gate is its first statement; RLS
// decides every row: integration_sync_runs, webhook_deliveries' granted columns, meetings, integration_events).
// Shapes are what GET /api/teams/:teamId/integrations/:provider/activity answers. No secret is selected: not a
// delivery's body or provider message id, not a route id, not a token.
import type { Tx } from "../db.ts";
import { isMeetingProvider, type MeetingProvider } from "../fathom/backfill-state.ts";
import { getProvider, isProviderId } from "../oauth/registry.ts";
import type { Mapping } from "../typeform/mapping.ts";
import { respondentLabel } from "../typeform/respondent.ts";
import type { CleanAnswer } from "../typeform/wire.ts";
import { problemSentence } from "./sentences.ts";

/** How many of each list are shown (runs are also kept at most 20 per integration by the database). */
export const RUNS_SHOWN = 20;
export const DELIVERIES_SHOWN = 50;
export const FAILED_SHOWN = 50;
export const MESSAGES_SHOWN = 20;

export interface ImportRun {
  id: string;
  started_at: string;
  finished_at: string | null;
  status: "idle" | "running" | "completed" | "failed" | "paused_rate_limited";
  stage: "list" | "content" | "done";
  /** true: only meetings created since the previous import were listed */
  incremental: boolean;
  listed_count: number;
  linked_count: number;
  content_total: number;
  content_done: number;
  content_failed: number;
  /** the run's latest problem as a sentence (kept after a resume completed it), or null */
  error: string | null;
  error_at: string | null;
  /** true: the run belonged to a connection since removed (the history outlives a reconnect) */
  earlier_connection: boolean;
}

/** refused: Typeform's response was received and read, and made no lead (its reason says why) */
export type DeliveryResult = "imported" | "waiting" | "failed" | "duplicate" | "refused";

export interface DeliveryEntry {
  /** the delivery's opaque id; a duplicate entry carries the id of the delivery it duplicated */
  id: string;
  received_at: string;
  result: DeliveryResult;
  reason: string | null;
  recording_id: number | null;
  meeting: { id: string; title: string } | null;
  /**
   * what the delivery is about, from its body at receipt (webhook_deliveries.label: Zoom's topic, Typeform's form
   * title), or null; the meeting's own title is preferred where there is one
   */
  title: string | null;
  /** Typeform: the lead the response made or went to, and who answered (respondentLabel); else null */
  lead?: { id: string; name: string } | null;
  respondent?: string | null;
  /** duplicate entries: how many copies arrived (the time is the latest one's) */
  count?: number;
  /** a waiting delivery: when its next attempt is due (after a failed attempt or a rate limit), else null */
  retry_at?: string | null;
}

export type FailedItem =
  | {
    kind: "meeting";
    id: string;
    title: string;
    recording_id: number | null;
    at: string;
    reason: string | null;
  }
  | {
    kind: "delivery";
    id: string;
    title: string | null;
    recording_id: number | null;
    meeting_id: string | null;
    at: string;
    reason: string | null;
    /** false: its body is no longer kept (dropped after 30 days, or never kept), so a Retry cannot import it */
    retryable: boolean;
  };

/**
 * A delivery held back after a failed attempt (the provider's rate limit, its error, a download that failed): it is
 * tried again by itself at `retry_at`, and needs a person only if it keeps failing. Listed apart from the deliveries
 * so that it shows (and counts) without opening the list.
 */
export interface WaitingItem {
  id: string;
  title: string | null;
  /** Fathom's recording id (named "Recording <id>" when nothing else names it); else null */
  recording_id: number | null;
  meeting_id: string | null;
  received_at: string;
  /** the failed attempt's reason as a sentence */
  reason: string | null;
  retry_at: string | null;
}

/** Typeform: the import of one form's past responses (typeform_forms.backfill_*), started when it was switched on. */
export interface FormImport {
  form_title: string;
  status: "idle" | "running" | "done" | "failed";
  imported: number;
  refused: number;
  /** the import's failure as a sentence (stored so by typeform/backfill.ts), or null */
  error: string | null;
}

export interface ChatMessageEntry {
  at: string;
  kind: "test_message" | "destination_gone";
  result: "sent" | "failed";
  reason: string | null;
}

export interface Activity {
  provider: string;
  runs: ImportRun[];
  deliveries: DeliveryEntry[];
  failed: FailedItem[];
  /** deliveries waiting to be tried again after a failed attempt (meeting providers and Typeform) */
  waiting: WaitingItem[];
  /** Typeform: the past-responses import of each form; else null */
  form_imports: FormImport[] | null;
  /** chat providers: what the chat store records of its posts (test messages, a lost destination); else null */
  messages: ChatMessageEntry[] | null;
}

/** A chat provider is one whose entry says where its webhooks live (oauth/types.ts `webhooks`): no list to keep here. */
function isChatProvider(provider: string): boolean {
  return isProviderId(provider) && getProvider(provider).webhooks !== undefined;
}

/** The provider's activity for the team; empty lists for a provider that records none. */
export async function readActivity(tx: Tx, teamId: string, provider: string): Promise<Activity> {
  const activity: Activity = { provider, runs: [], deliveries: [], failed: [], waiting: [], form_imports: null, messages: null };
  if (isMeetingProvider(provider)) {
    activity.runs = await readRuns(tx, teamId, provider);
    activity.deliveries = await readDeliveries(tx, teamId, provider);
    activity.failed = await readFailed(tx, teamId, provider);
    activity.waiting = await readWaiting(tx, teamId, provider);
  }
  if (provider === "typeform") {
    activity.deliveries = await readDeliveries(tx, teamId, provider);
    activity.failed = await readFailed(tx, teamId, provider);
    activity.waiting = await readWaiting(tx, teamId, provider);
    activity.form_imports = await readFormImports(tx, teamId);
  }
  if (isChatProvider(provider)) activity.messages = await readMessages(tx, teamId, provider);
  return activity;
}

/** The providers whose deliveries the activity lists: the meeting providers and Typeform. */
type DeliveryProvider = MeetingProvider | "typeform";

const nameOf = (provider: DeliveryProvider) => getProvider(provider).displayName;

// A delivery's meeting: the one it wrote (meeting_id), else the one with its recording id (Fathom's failed ones) or
// its subject (Zoom's meeting uuid, written at receipt: a transcript delivery waiting for a meeting already stored)
const deliveryMeeting = (tx: Tx) =>
  tx`left join public.meetings m on m.team_id = d.team_id and m.provider = d.provider and (
       m.id = d.meeting_id or (d.meeting_id is null and m.provider_meeting_id = coalesce(d.recording_id::text, d.subject_ref)))`;

// Typeform: the response a delivery carried (its token, written at receipt), with the lead it made and the form's
// mapping (who answered); other providers' rows find none
const deliveryResponse = (tx: Tx) =>
  tx`left join public.typeform_responses r on d.provider = 'typeform' and r.team_id = d.team_id
       and r.response_token = d.subject_ref
     left join public.leads l on l.id = r.lead_id
     left join public.typeform_forms f on f.id = r.form_row_id`;

/** Who answered a stored Typeform response (respondent.ts), from its cleaned answers and its form's mapping. */
function respondentOf(answers: unknown, mapping: unknown): string | null {
  if (!Array.isArray(answers)) return null;
  // stored cleaned (ingest.ts), but a row is read as it is: an entry that is not an answer is left out
  const clean = answers.filter((a): a is CleanAnswer => a !== null && typeof a === "object" && !Array.isArray(a));
  const m = mapping !== null && typeof mapping === "object" ? mapping as Partial<Mapping> : {};
  return respondentLabel({ token: "", submittedAt: null, answers: clean, hidden: {}, skipped: 0 }, m);
}

async function readRuns(tx: Tx, teamId: string, provider: MeetingProvider): Promise<ImportRun[]> {
  // by team and provider, not by connection: the runs of a connection since removed stay (their integration_id null)
  const rows = await tx<(Omit<ImportRun, "error" | "incremental"> & { last_error: string | null; incremental: boolean })[]>`
    select r.id, r.started_at, r.finished_at, r.status, r.stage, r.list_created_after is not null as incremental,
           r.listed_count, r.linked_count, r.content_total, r.content_done, r.content_failed, r.last_error,
           r.last_error_at as error_at, r.integration_id is null as earlier_connection
      from public.integration_sync_runs r
     where r.team_id = ${teamId} and r.provider = ${provider}
     order by r.started_at desc
     limit ${RUNS_SHOWN}`;
  return rows.map(({ last_error, ...run }) => ({ ...run, error: problemSentence(last_error, nameOf(provider)) }));
}

async function readDeliveries(tx: Tx, teamId: string, provider: DeliveryProvider): Promise<DeliveryEntry[]> {
  const rows = await tx<{
    id: string;
    received_at: Date;
    status: "received" | "imported" | "failed";
    last_error: string | null;
    recording_id: string | null;
    meeting_id: string | null;
    title: string | null;
    label: string | null;
    duplicate_count: number;
    last_duplicate_at: Date | null;
    next_attempt_at: Date | null;
    response_status: "imported" | "refused" | null;
    response_reason: string | null;
    answers: unknown;
    mapping: unknown;
    lead_id: string | null;
    lead_name: string | null;
  }[]>`
    select d.id, d.received_at, d.status, d.last_error, d.recording_id, m.id as meeting_id, m.title, d.label,
           d.duplicate_count, d.last_duplicate_at, d.next_attempt_at,
           r.status as response_status, r.reason as response_reason, r.answers, f.mapping, l.id as lead_id,
           l.name as lead_name
      from public.webhook_deliveries d
      ${deliveryMeeting(tx)}
      ${deliveryResponse(tx)}
     where d.team_id = ${teamId} and d.provider = ${provider}
     order by greatest(d.received_at, d.last_duplicate_at) desc
     limit ${DELIVERIES_SHOWN}`;
  const entries: DeliveryEntry[] = [];
  for (const row of rows) {
    const typeform = provider === "typeform";
    const base = {
      id: row.id,
      recording_id: row.recording_id === null ? null : Number(row.recording_id),
      meeting: row.meeting_id ? { id: row.meeting_id, title: row.title || "Untitled meeting" } : null,
      title: row.label,
      ...(typeform
        ? {
          lead: row.lead_id ? { id: row.lead_id, name: row.lead_name || "Unnamed lead" } : null,
          respondent: row.response_status ? respondentOf(row.answers, row.mapping) : null,
        }
        : {}),
    };
    const refused = row.status === "imported" && row.response_status === "refused";
    const result: DeliveryResult = refused
      ? "refused"
      : row.status === "imported" ? "imported" : row.status === "failed" ? "failed" : "waiting";
    entries.push({
      ...base,
      received_at: row.received_at.toISOString(),
      result,
      // a waiting delivery that failed an attempt says why it waits, and until when; a refused response why
      // (ingest.ts stores a sentence of ours)
      reason: refused ? row.response_reason : problemSentence(row.last_error, nameOf(provider)),
      retry_at: result === "waiting" && row.next_attempt_at ? row.next_attempt_at.toISOString() : null,
    });
    if (row.duplicate_count > 0 && row.last_duplicate_at) {
      entries.push({
        ...base,
        received_at: row.last_duplicate_at.toISOString(),
        result: "duplicate",
        reason: row.duplicate_count === 1
          ? "Received again; already had it."
          : `Received ${row.duplicate_count} more times; already had it.`,
        count: row.duplicate_count,
      });
    }
  }
  entries.sort((a, b) => b.received_at.localeCompare(a.received_at));
  return entries.slice(0, DELIVERIES_SHOWN);
}

async function readFailed(tx: Tx, teamId: string, provider: DeliveryProvider): Promise<FailedItem[]> {
  const meetings = await tx<{ id: string; title: string; recording_id: string; at: Date; reason: string | null }[]>`
    select m.id, m.title, m.provider_meeting_id as recording_id, coalesce(m.content_fetched_at, m.updated_at) as at,
           m.content_last_error as reason
      from public.meetings m
     where m.team_id = ${teamId} and m.provider = ${provider} and m.content_status = 'failed'
       and m.provider_deleted_at is null -- deleted at the provider: nothing to attend to (zoom/retention.ts)
     order by m.updated_at desc
     limit ${FAILED_SHOWN}`;
  // a failed delivery whose recording came in again by a later delivery is settled: not listed
  const deliveries = await tx<{
    id: string;
    recording_id: string | null;
    meeting_id: string | null;
    title: string | null;
    at: Date;
    reason: string | null;
    has_body: boolean;
  }[]>`
    select d.id, d.recording_id, m.id as meeting_id, coalesce(m.title, d.label) as title,
           coalesce(d.processed_at, d.received_at) as at,
           d.last_error as reason, d.has_body
      from public.webhook_deliveries d
      ${deliveryMeeting(tx)}
     where d.team_id = ${teamId} and d.provider = ${provider} and d.status = 'failed'
       and not exists (select 1 from public.webhook_deliveries n
                        where n.integration_id = d.integration_id and n.recording_id = d.recording_id
                          and n.status <> 'failed')
     order by d.received_at desc
     limit ${FAILED_SHOWN}`;
  const items: FailedItem[] = [
    ...meetings.map((m) => ({
      kind: "meeting" as const,
      id: m.id,
      title: m.title || "Untitled meeting",
      // Fathom's ids are numbers; Zoom's (a meeting uuid) is not: null
      recording_id: provider === "fathom" ? Number(m.recording_id) : null,
      at: m.at.toISOString(),
      reason: problemSentence(m.reason, nameOf(provider)),
    })),
    ...deliveries.map((d) => ({
      kind: "delivery" as const,
      id: d.id,
      title: d.title,
      recording_id: d.recording_id === null ? null : Number(d.recording_id),
      meeting_id: d.meeting_id,
      at: d.at.toISOString(),
      // a row without its body says so, whatever it failed on first (its reason is kept for the record)
      reason: problemSentence(d.has_body ? d.reason : "no body", nameOf(provider)),
      retryable: d.has_body,
    })),
  ];
  items.sort((a, b) => b.at.localeCompare(a.at));
  return items.slice(0, FAILED_SHOWN);
}

/** Deliveries held back after a failed attempt (WaitingItem), the next to be tried first. */
async function readWaiting(tx: Tx, teamId: string, provider: DeliveryProvider): Promise<WaitingItem[]> {
  const rows = await tx<{
    id: string;
    title: string | null;
    recording_id: string | null;
    meeting_id: string | null;
    received_at: Date;
    last_error: string;
    next_attempt_at: Date | null;
  }[]>`
    select d.id, coalesce(m.title, d.label) as title, d.recording_id, m.id as meeting_id, d.received_at, d.last_error,
           d.next_attempt_at
      from public.webhook_deliveries d
      ${deliveryMeeting(tx)}
     where d.team_id = ${teamId} and d.provider = ${provider} and d.status = 'received' and d.last_error is not null
     order by d.next_attempt_at nulls first, d.received_at
     limit ${FAILED_SHOWN}`;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    recording_id: r.recording_id === null ? null : Number(r.recording_id),
    meeting_id: r.meeting_id,
    received_at: r.received_at.toISOString(),
    reason: problemSentence(r.last_error, nameOf(provider)),
    retry_at: r.next_attempt_at?.toISOString() ?? null,
  }));
}

/** Typeform: each form's past-responses import, with what it imported and refused (typeform_responses by source). */
async function readFormImports(tx: Tx, teamId: string): Promise<FormImport[]> {
  const rows = await tx<{ form_title: string; status: FormImport["status"]; imported: number; refused: number; error: string | null }[]>`
    select f.title as form_title, f.backfill_status as status,
           (select count(*) from public.typeform_responses r
             where r.form_row_id = f.id and r.source = 'backfill' and r.status = 'imported')::int as imported,
           (select count(*) from public.typeform_responses r
             where r.form_row_id = f.id and r.source = 'backfill' and r.status = 'refused')::int as refused,
           f.backfill_error as error
      from public.typeform_forms f
     where f.team_id = ${teamId} and f.backfill_status <> 'idle'
     order by f.updated_at desc
     limit ${RUNS_SHOWN}`;
  return rows;
}

async function readMessages(tx: Tx, teamId: string, provider: string): Promise<ChatMessageEntry[]> {
  const rows = await tx<{ occurred_at: Date; type: string; reason: string | null }[]>`
    select e.occurred_at, e.type, e.payload ->> 'reason' as reason
      from public.integration_events e
     where e.team_id = ${teamId} and e.provider = ${provider}
       and e.type in (${`${provider}.integration.test_message_sent`}, ${`${provider}.integration.destination_gone`})
     order by e.id desc
     limit ${MESSAGES_SHOWN}`;
  return rows.map((r) => {
    const gone = r.type.endsWith(".destination_gone");
    return {
      at: r.occurred_at.toISOString(),
      kind: gone ? "destination_gone" : "test_message",
      result: gone ? "failed" : "sent",
      reason: gone ? problemSentence("destination_gone") : null,
    };
  });
}
