import { z } from "zod/mini";
import { ApiError } from "./apiError";
import { email, httpUrl, timestamp } from "./meetingFields";
import { bool, field, isoTime, listOf, objectOrNull, readableText, text, textOr, mapped, trimmed } from "./tolerant";
import type { ActionItem, ActionItemTask, Invitee, MeetingDetail, MeetingSummary, TranscriptItem } from "./types";

/**
 * The app's own edge for meetings: GET api/teams/:teamId/meetings[/:id] and the meetings of a lead are parsed here
 * before any component sees them. The server already sends the shapes of src/lib/types.ts (Fathom's API reference,
 * cleaned by the import), but an old row may still hold what Fathom once sent: an object
 * where text belongs, a number of seconds where "HH:MM:SS" belongs, `text: null`. Nothing here throws on such data:
 * numbers become strings, objects in text positions become their readable text or are dropped, list entries that
 * cannot be shown are skipped, missing values get the defaults the components expect.
 */

const person = z.object({ name: text, email, email_domain: trimmed, team: text });

const invitee = mapped(
  z.object({ name: text, email, email_domain: trimmed, is_external: bool(null) }),
  (i): Invitee | null => (i.name?.trim() || i.email ? i : null),
);

const lead = mapped(z.object({ id: trimmed, name: textOr("Unnamed lead") }), (l) => (l.id ? { id: l.id, name: l.name } : null));

const transcriptLine = mapped(
  z.object({
    speaker: objectOrNull(z.object({ display_name: text, matched_calendar_invitee_email: email })),
    text,
    timestamp,
  }),
  // a line without words has nothing to show or search
  (l): TranscriptItem | null => (l.text?.trim() ? { ...l, text: l.text } : null),
);

const actionItem = mapped(
  z.object({
    description: text,
    user_generated: bool(false),
    completed: bool(false),
    recording_timestamp: timestamp,
    recording_playback_url: httpUrl,
    assignee: objectOrNull(z.object({ name: text, email, team: text })),
    task: mapped(
      objectOrNull(
        z.object({
          id: trimmed,
          done: bool(false),
          due_on: field((v) => (v === null ? null : typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined)),
          assignee: field((v) => v),
        }),
      ),
      (t): ActionItemTask | null => {
        if (!t?.id) return null;
        const a = t.assignee as { id?: unknown; name?: unknown; email?: unknown } | null | undefined;
        const assignee =
          a && typeof a === "object" && typeof a.id === "string"
            ? { id: a.id, name: typeof a.name === "string" ? a.name : null, email: typeof a.email === "string" ? a.email : null }
            : a === null
              ? null
              : undefined;
        return { id: t.id, done: t.done, ...(assignee !== undefined ? { assignee } : {}), ...(t.due_on !== undefined ? { due_on: t.due_on } : {}) };
      },
    ),
  }),
  (a): Omit<ActionItem, "index"> | null => (a.description?.trim() ? { ...a, description: a.description } : null),
);

/**
 * The action items, each with its index in the server's list (what POST tasks names when one is ticked): an item
 * that cannot be shown is skipped without shifting the others' indexes.
 */
const actionItems = field((v): ActionItem[] | null => {
  if (!Array.isArray(v)) return null;
  return v.flatMap((x, index) => {
    const r = actionItem.safeParse(x);
    return r.success && r.data ? [{ ...r.data, index }] : [];
  });
});

/** A provider slug as the server's meetings_provider_check has it; anything else is "" (shown as an unknown source). */
const providerSlug = field((v) => (typeof v === "string" && /^[a-z][a-z0-9]{1,30}$/.test(v) ? v : ""));
const providerMeetingId = field((v) =>
  typeof v === "number" && Number.isFinite(v) ? String(v) : (readableText(v) ?? "")
);

const summaryShape = {
  id: textOr(""),
  provider: providerSlug,
  provider_meeting_id: providerMeetingId,
  title: textOr(""),
  meeting_title: text,
  recording_start_time: isoTime,
  recording_end_time: isoTime,
  scheduled_start_time: isoTime,
  url: httpUrl,
  share_url: httpUrl,
  recorded_by: objectOrNull(person),
  invitees: mapped(listOf(invitee), (l) => l ?? []),
  content_status: textOr("complete"),
  content_reason: text,
  provider_deleted_at: isoTime,
  content_wait_until: isoTime,
  leads: mapped(listOf(lead), (l) => l ?? []),
};

const contentWaiting = mapped(
  objectOrNull(
    z.object({ kind: textOr("download_failed"), reason: text, retry_at: isoTime, final: bool(false), delivery_id: trimmed }),
  ),
  (w) => w ?? null,
);

const meetingSummary = z.object(summaryShape);

const meetingDetail = z.object({
  ...summaryShape,
  content_waiting: contentWaiting,
  transcript: listOf(transcriptLine),
  summary_markdown: text,
  action_items: actionItems,
  language: trimmed,
  source: textOr(""),
  imported_at: isoTime,
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A meeting of a list; null when `raw` is not an object with an id (the list skips it). */
export function parseMeetingSummary(raw: unknown): MeetingSummary | null {
  if (!isRecord(raw)) return null;
  const m = meetingSummary.parse(raw);
  return m.id ? m : null;
}

/** The meetings of a list response, unusable entries skipped; [] when `raw` is not an array. */
export function parseMeetingList(raw: unknown): MeetingSummary[] {
  if (!Array.isArray(raw)) return [];
  return raw.map(parseMeetingSummary).filter((m): m is MeetingSummary => m !== null);
}

/**
 * The meeting page's data. Throws ApiError `invalid_response` only when `raw` is not an object at all (the page
 * shows its error state); every field inside is made renderable.
 */
export function parseMeetingDetail(raw: unknown): MeetingDetail {
  if (!isRecord(raw)) throw new ApiError("invalid_response", "The server sent a meeting the app cannot read.");
  return meetingDetail.parse(raw);
}
