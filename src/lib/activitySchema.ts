import { z } from "zod/mini";
import { count, field, isoTime, listOf, mapped, objectOrNull, trimmed } from "./tolerant";

/**
 * The integration activity answer (GET api/teams/:teamId/integrations/:provider/activity, docs/architecture.md):
 * import runs, webhook deliveries received, failed items to retry, and a chat provider's posts. Parsed tolerantly
 * (tolerant.ts): an entry that cannot be shown is dropped, an unknown result or status reads as "unknown", never a crash.
 */

const oneOf = <T extends string>(values: readonly T[], fallback: T) =>
  field((v): T => (typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : fallback));

const id = field((v) => (typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v) ? v : null));
const recordingId = field((v) => (typeof v === "number" && Number.isSafeInteger(v) ? v : null));

export const RUN_STATUSES = ["idle", "running", "completed", "failed", "paused_rate_limited", "unknown"] as const;
export const DELIVERY_RESULTS = ["imported", "waiting", "failed", "duplicate", "refused", "unknown"] as const;
export const FORM_IMPORT_STATUSES = ["idle", "running", "done", "failed", "unknown"] as const;

const run = mapped(z.object({
  id,
  started_at: isoTime,
  finished_at: isoTime,
  status: oneOf(RUN_STATUSES, "unknown"),
  incremental: field((v) => v === true),
  /** the run belonged to a connection since removed (false from older servers) */
  earlier_connection: field((v) => v === true),
  listed_count: count(0),
  linked_count: count(0),
  content_total: count(0),
  content_done: count(0),
  content_failed: count(0),
  error: trimmed,
}), (r) => (r.id && r.started_at ? { ...r, id: r.id, started_at: r.started_at } : null));

const meetingRef = mapped(objectOrNull(z.object({ id, title: trimmed })), (m) =>
  m?.id ? { id: m.id, title: m.title ?? "Untitled meeting" } : null,
);

const leadRef = mapped(objectOrNull(z.object({ id, name: trimmed })), (l) =>
  l?.id ? { id: l.id, name: l.name ?? "Unnamed lead" } : null,
);

const delivery = mapped(z.object({
  id,
  received_at: isoTime,
  result: oneOf(DELIVERY_RESULTS, "unknown"),
  reason: trimmed,
  recording_id: recordingId,
  meeting: meetingRef,
  /** what the delivery is about, from the event (Zoom's topic, Typeform's form title) */
  title: trimmed,
  /** Typeform: the lead the response made or went to, and who answered */
  lead: leadRef,
  respondent: trimmed,
  count: count(0),
  retry_at: isoTime,
}), (d) => (d.id && d.received_at ? { ...d, id: d.id, received_at: d.received_at } : null));

/** A delivery held back after a failed attempt, tried again by itself at retry_at. */
const waitingItem = mapped(z.object({
  id,
  title: trimmed,
  recording_id: recordingId,
  meeting_id: id,
  received_at: isoTime,
  reason: trimmed,
  retry_at: isoTime,
}), (w) => (w.id ? { ...w, id: w.id } : null));

/** Typeform: one form's import of its past responses. */
const formImport = mapped(z.object({
  form_title: trimmed,
  status: oneOf(FORM_IMPORT_STATUSES, "unknown"),
  imported: count(0),
  refused: count(0),
  error: trimmed,
}), (f) => ({ ...f, form_title: f.form_title ?? "Untitled form" }));

const failedItem = mapped(z.object({
  kind: oneOf(["meeting", "delivery", "unknown"] as const, "unknown"),
  id,
  title: trimmed,
  recording_id: recordingId,
  meeting_id: id,
  at: isoTime,
  reason: trimmed,
  /** false: the delivery no longer keeps what a Retry would import (older servers send none: retryable) */
  retryable: field((v) => v !== false),
}), (f) => {
    if (!f.id || f.kind === "unknown") return null;
    return { ...f, kind: f.kind as "meeting" | "delivery", id: f.id, meetingId: f.kind === "meeting" ? f.id : f.meeting_id };
  });

const message = mapped(z.object({
  at: isoTime,
  kind: oneOf(["test_message", "destination_gone", "unknown"] as const, "unknown"),
  result: oneOf(["sent", "failed", "unknown"] as const, "unknown"),
  reason: trimmed,
}), (m) => (m.at ? { ...m, at: m.at } : null));

const activity = z.object({
  runs: mapped(listOf(run), (v) => v ?? []),
  deliveries: mapped(listOf(delivery), (v) => v ?? []),
  failed: mapped(listOf(failedItem), (v) => v ?? []),
  /** deliveries waiting to be tried again (older servers send none) */
  waiting: mapped(listOf(waitingItem), (v) => v ?? []),
  /** Typeform's past-responses imports; null for other providers */
  form_imports: listOf(formImport),
  /** null: the provider keeps no record of its posts */
  messages: listOf(message),
});

export type IntegrationActivity = z.output<typeof activity>;
export type ImportRun = IntegrationActivity["runs"][number];
export type DeliveryEntry = IntegrationActivity["deliveries"][number];
export type FailedItem = IntegrationActivity["failed"][number];
export type ChatMessageEntry = NonNullable<IntegrationActivity["messages"]>[number];
export type WaitingItem = IntegrationActivity["waiting"][number];
export type FormImport = NonNullable<IntegrationActivity["form_imports"]>[number];

const EMPTY: IntegrationActivity = { runs: [], deliveries: [], failed: [], waiting: [], form_imports: null, messages: null };

/** `{ activity }` from the server, made safe to render. */
export function parseActivity(body: unknown): IntegrationActivity {
  const raw = (body as { activity?: unknown } | null)?.activity;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return EMPTY;
  const parsed = activity.safeParse(raw);
  return parsed.success ? parsed.data : EMPTY;
}

export type RetryResult = "imported" | "waiting" | "failed" | "in_progress" | "already_done";

/** POST .../activity/retry's answer. */
export function parseRetry(body: unknown): { result: RetryResult; reason: string | null } {
  const r = body as { result?: unknown; reason?: unknown } | null;
  const results: RetryResult[] = ["imported", "waiting", "failed", "in_progress", "already_done"];
  const result = results.includes(r?.result as RetryResult) ? (r!.result as RetryResult) : "waiting";
  return { result, reason: typeof r?.reason === "string" ? r.reason : null };
}
