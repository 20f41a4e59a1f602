// GET /meetings pagination in the two forms Fathom's cursors have been seen in (fathom-api.md §3.4). Neither is
// stable while meetings are being recorded, and each is unstable in its own way:
// - "page": base64 {"page_num": N} (the docs' example), an offset into the live list, newest created first. A meeting
//   recorded during a listing pushes everything down one place: the next page repeats the last item (a duplicate).
// - "keyset": base64 {"recording_start_time", "id", "completed_sources"} (a recorded real response): the caller's
//   sources (my_calls, team_calls, shared_calls, see store.ts) merged newest recording start first, resumed after the
//   last position. A meeting recorded during a listing is newer than the position, so the rest of that listing
//   never shows it (a skip); a source found exhausted is not read again.

import type { CursorMode } from "./context.ts";
import { MEETING_SOURCES, type MeetingRecord, type MeetingSource, type MeetingList, type SandboxUser, sourceFor } from "./store.ts";

export class InvalidCursor extends Error {
  constructor() {
    super("Invalid cursor");
  }
}

export interface MeetingPage {
  items: MeetingRecord[];
  nextCursor: string | null;
}

export interface ListRequest {
  user: SandboxUser;
  /** The query's filters (created_after/before, recorded_by, ...); visibility is checked here. */
  matches(meeting: MeetingRecord): boolean;
  pageSize: number;
  cursor: string | null;
}

/** One page of what `user` can see. Throws InvalidCursor for a cursor this mode did not hand out. */
export function listMeetingPage(meetings: MeetingList, mode: CursorMode, request: ListRequest): MeetingPage {
  return mode === "page" ? pageByNumber(meetings, request) : pageByKeyset(meetings, request);
}

function decodeJson(cursor: string): Record<string, unknown> {
  try {
    const value = JSON.parse(atob(cursor));
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch { /* fall through */ }
  throw new InvalidCursor();
}

const encodeJson = (value: unknown) => btoa(JSON.stringify(value));

// ---------------------------------------------------------------------------------------------------------------
// page_num

function pageByNumber(meetings: MeetingList, { user, matches, pageSize, cursor }: ListRequest): MeetingPage {
  let pageNum = 1;
  if (cursor) {
    const { page_num } = decodeJson(cursor);
    if (!Number.isSafeInteger(page_num) || (page_num as number) < 1) throw new InvalidCursor();
    pageNum = page_num as number;
  }
  const offset = (pageNum - 1) * pageSize;
  const items: MeetingRecord[] = [];
  let seen = 0;
  let hasMore = false;
  for (const m of meetings.newestFirst()) {
    if (!sourceFor(user, m) || !matches(m)) continue;
    if (seen++ < offset) continue;
    if (items.length === pageSize) {
      hasMore = true;
      break;
    }
    items.push(m);
  }
  return { items, nextCursor: hasMore ? encodeJson({ page_num: pageNum + 1 }) : null };
}

// ---------------------------------------------------------------------------------------------------------------
// multi-source keyset

interface Keyset {
  startMs: number;
  id: number;
  completed: Set<MeetingSource>;
}

function decodeKeyset(cursor: string): Keyset {
  const { recording_start_time, id, completed_sources } = decodeJson(cursor);
  const startMs = typeof recording_start_time === "string" ? Date.parse(recording_start_time) : NaN;
  if (Number.isNaN(startMs) || !Number.isSafeInteger(id) || !Array.isArray(completed_sources)) throw new InvalidCursor();
  if (!completed_sources.every((s) => MEETING_SOURCES.includes(s))) throw new InvalidCursor();
  return { startMs, id: id as number, completed: new Set(completed_sources) };
}

/** Strictly after the position in recording-start-descending order. */
function isAfter(m: MeetingRecord, position: Keyset | null): boolean {
  if (!position) return true;
  return m.recordingStartMs < position.startMs || (m.recordingStartMs === position.startMs && m.recordingId < position.id);
}

function pageByKeyset(meetings: MeetingList, { user, matches, pageSize, cursor }: ListRequest): MeetingPage {
  const position = cursor ? decodeKeyset(cursor) : null;
  const completed = new Set(position?.completed ?? []);
  const items: MeetingRecord[] = [];
  /** Sources with something left after the page: they stay open in the next cursor. */
  const open = new Set<MeetingSource>();
  for (const m of meetings.byRecordingStart()) {
    const source = sourceFor(user, m);
    if (!source || completed.has(source) || !isAfter(m, position) || !matches(m)) continue;
    if (items.length < pageSize) {
      items.push(m);
      continue;
    }
    open.add(source);
    // Stop as soon as every source that could still have more is known to.
    if (MEETING_SOURCES.every((s) => completed.has(s) || open.has(s))) break;
  }
  const last = items.at(-1);
  if (!last || open.size === 0) return { items, nextCursor: null };
  for (const s of MEETING_SOURCES) if (!open.has(s)) completed.add(s);
  return {
    items,
    nextCursor: encodeJson({
      recording_start_time: new Date(last.recordingStartMs).toISOString(),
      id: last.recordingId,
      completed_sources: MEETING_SOURCES.filter((s) => completed.has(s)),
    }),
  };
}
