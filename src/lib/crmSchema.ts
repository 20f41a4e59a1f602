import { z } from "zod/mini";
import { ApiError } from "./apiError";
import { bool, field, isoTime, listOf, mapped, objectOrNull, text, trimmed } from "./tolerant";
import { TASK_SOURCES, type LeadNote, type PersonRef, type Task, type TaskSource, type TimelineItem } from "./types";

/**
 * The CRM objects of issue 11 as the API sends them (docs/architecture.md, "Tasks and the lead timeline"): tasks,
 * lead notes and timeline entries. Loaded lazily by api.ts with the first answer that needs it (the Integrations
 * page's budget). Tolerant like meetingSchema.ts: an entry without an id is dropped, an unknown timeline kind is
 * skipped, missing optional values become null.
 */

const id = field((v) => (typeof v === "string" && v.trim() ? v.trim() : null));
const date = field((v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null));
const index = field((v) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : null));

const person = mapped(
  objectOrNull(z.object({ id, name: trimmed, email: trimmed })),
  (p): PersonRef | null => (p?.id ? { id: p.id, name: p.name, email: p.email } : null),
);

const leadRef = mapped(objectOrNull(z.object({ id, name: trimmed })), (r) =>
  r?.id ? { id: r.id, name: r.name ?? "Unnamed lead" } : null,
);
const meetingRef = mapped(objectOrNull(z.object({ id, title: trimmed })), (r) =>
  r?.id ? { id: r.id, title: r.title ?? "Untitled meeting" } : null,
);

const source = field((v): TaskSource =>
  typeof v === "string" && (TASK_SOURCES as readonly string[]).includes(v) ? (v as TaskSource) : "person",
);

const taskShape = z.object({
  id,
  title: text,
  lead: leadRef,
  meeting: meetingRef,
  action_item_index: index,
  assignee: person,
  due_on: date,
  done: bool(false),
  done_at: isoTime,
  source,
  automation_run_id: id,
  created_by: id,
  created_at: isoTime,
});

const task = mapped(taskShape, (t): Task | null =>
  t.id ? { ...t, id: t.id, title: t.title?.trim() || "Untitled task", created_at: t.created_at ?? "" } : null,
);

const note = mapped(
  z.object({
    id,
    body: text,
    author: person,
    source: field((v) => (typeof v === "string" ? v : "person")),
    automation_run_id: id,
    created_at: isoTime,
    updated_at: isoTime,
    can_edit: bool(false),
  }),
  (n): LeadNote | null =>
    n.id && n.created_at
      ? { ...n, id: n.id, body: n.body ?? "", created_at: n.created_at, updated_at: n.updated_at ?? n.created_at }
      : null,
);

const base = { id, kind: trimmed, at: isoTime };

const timelineItem = field((raw): TimelineItem | null => {
  const head = z.object(base).safeParse(raw);
  if (!head.success || !head.data.id || !head.data.at) return null;
  const b = { id: head.data.id, at: head.data.at };
  const r = raw as Record<string, unknown>;
  switch (head.data.kind) {
    case "note": {
      const n = note.safeParse(r.note);
      return n.success && n.data ? { ...b, kind: "note", note: n.data } : null;
    }
    case "meeting": {
      const m = z
        .object({ id, title: trimmed, recording_start_time: isoTime })
        .safeParse(r.meeting && typeof r.meeting === "object" ? r.meeting : {});
      return m.success && m.data.id
        ? {
            ...b,
            kind: "meeting",
            meeting: { id: m.data.id, title: m.data.title ?? "Untitled meeting", recording_start_time: m.data.recording_start_time },
          }
        : null;
    }
    case "stage_change": {
      const s = z.object({ from: trimmed, to: trimmed, by: person, automation_run_id: id }).safeParse(r);
      return s.success && s.data.to ? { ...b, kind: "stage_change", ...s.data, to: s.data.to } : null;
    }
    case "task": {
      const t = task.safeParse(r.task);
      return t.success && t.data ? { ...b, kind: "task", task: t.data } : null;
    }
    case "automation_run": {
      const run = z
        .object({ id, rule_id: id, rule_name: trimmed, status: trimmed, error_message: trimmed })
        .safeParse(r.run && typeof r.run === "object" ? r.run : {});
      return run.success && run.data.id
        ? {
            ...b,
            kind: "automation_run",
            run: { ...run.data, id: run.data.id, rule_name: run.data.rule_name ?? "Automation", status: run.data.status ?? "unknown" },
          }
        : null;
    }
    case "form_response": {
      const fr = record(r.response);
      const rid = typeof fr.id === "string" && fr.id ? fr.id : null;
      if (!rid) return null;
      const answers = (Array.isArray(fr.answers) ? fr.answers : []).flatMap((a) => {
        const x = record(a);
        const v = x.value;
        const value = Array.isArray(v) ? v.filter((s) => typeof s === "string").join(", ")
          : typeof v === "boolean" ? (v ? "Yes" : "No")
          : typeof v === "number" || typeof v === "string" ? String(v) : "";
        return value ? [{ title: typeof x.title === "string" && x.title.trim() ? x.title.trim() : "Answer", value }] : [];
      });
      const title = typeof fr.form_title === "string" && fr.form_title.trim() ? fr.form_title.trim() : "a form";
      return { ...b, kind: "form_response", response: { id: rid, form_title: title, answers } };
    }
    default:
      return null;
  }
});

const cursor = (v: unknown) => (typeof v === "string" && v ? v : null);

function record(raw: unknown): Record<string, unknown> {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

/** `{tasks, next_cursor}` of GET tasks. */
export function parseTasksPage(raw: unknown) {
  const d = record(raw);
  return { tasks: listOf(task).parse(d.tasks) ?? [], next_cursor: cursor(d.next_cursor) };
}

/** `{task}` of POST/PATCH tasks; ApiError invalid_response when it holds no task. */
export function parseTask(raw: unknown): Task {
  const t = task.safeParse(record(raw).task);
  if (!t.success || !t.data) throw new ApiError("invalid_response", "The server sent a task the app cannot read.");
  return t.data;
}

/** `{items, next_cursor}` of GET a lead's timeline. */
export function parseTimelinePage(raw: unknown) {
  const d = record(raw);
  return { items: listOf(timelineItem).parse(d.items) ?? [], next_cursor: cursor(d.next_cursor) };
}

/** `{note}` of POST/PATCH notes. */
export function parseNote(raw: unknown): LeadNote {
  const n = note.safeParse(record(raw).note);
  if (!n.success || !n.data) throw new ApiError("invalid_response", "The server sent a note the app cannot read.");
  return n.data;
}

/** `{leads: [{id, name}]}` of POST a meeting's leads. */
export function parseLinkedLeads(raw: unknown): { id: string; name: string }[] {
  return listOf(leadRef).parse(record(raw).leads) ?? [];
}
