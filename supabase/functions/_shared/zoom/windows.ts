// The date windows of Zoom's past-recordings import (providers.md §3: GET /users/me/recordings takes `from` and `to`
// at most one month apart, inclusive dates in UTC). Windows of 28 days (never more than a month, whatever the
// months), newest first, from today back to the configured start (ZOOM_IMPORT_MONTHS, default 6 months); and the
// import's cursor (integration_syncs.cursor): the window being listed and the `next_page_token` of its next page.
// Pure, except `importStart` reading the environment.
import { z } from "zod";

export const DEFAULT_IMPORT_MONTHS = 6;
/** Days per window, inclusive: 28 is at most one month in every month. */
export const WINDOW_DAYS = 28;
const DAY = 86_400_000;

export interface Window {
  /** YYYY-MM-DD, inclusive */
  from: string;
  to: string;
}

export interface ZoomCursor {
  window: Window;
  /** null: the window's first page */
  pageToken: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (ms: number) => Math.floor(ms / DAY) * DAY;

/** The oldest day to import: `months` calendar months before `nowMs` (ZOOM_IMPORT_MONTHS, 1-120, default 6). */
export function importStart(nowMs: number, months = monthsFromEnv()): string {
  const d = new Date(nowMs);
  // the same day `months` earlier, clamped to that month's last day (March 31 - 1 month = February 28, not March 3)
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months + 1, 0)).getUTCDate();
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, Math.min(d.getUTCDate(), lastDay)));
}

function monthsFromEnv(): number {
  const raw = Number(Deno.env.get("ZOOM_IMPORT_MONTHS"));
  return Number.isInteger(raw) && raw >= 1 && raw <= 120 ? raw : DEFAULT_IMPORT_MONTHS;
}

/** The first window: the 28 days ending today (not before `start`). */
export function firstWindow(nowMs: number, start: string): Window {
  const to = dayStart(nowMs);
  return { from: iso(Math.max(Date.parse(start), to - (WINDOW_DAYS - 1) * DAY)), to: iso(to) };
}

/** The window before `w`, or null when `w` already reaches `start`. */
export function previousWindow(w: Window, start: string): Window | null {
  const startMs = Date.parse(start);
  const to = Date.parse(w.from) - DAY;
  if (to < startMs) return null;
  return { from: iso(Math.max(startMs, to - (WINDOW_DAYS - 1) * DAY)), to: iso(to) };
}

const cursorSchema = z.object({
  window: z.object({ from: z.iso.date(), to: z.iso.date() }),
  pageToken: z.string().max(2_000).nullable(),
  start: z.iso.date(),
});

/** The cursor as stored; `start` keeps an import's range fixed while it resumes. */
export function encodeCursor(cursor: ZoomCursor, start: string): string {
  return JSON.stringify({ ...cursor, start });
}

/** A stored cursor, or null (none yet, or not ours: then the import begins again at the newest window). */
export function decodeCursor(raw: string | null): (ZoomCursor & { start: string }) | null {
  if (!raw) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
