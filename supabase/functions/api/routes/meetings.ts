// A team's meetings: a searchable, keyset-paginated list and one meeting with its content. A meeting whose content
// is still pending is fetched from Fathom first, outside any transaction (PGlite serves one session at a time),
// and a failure there never fails the page: the meeting is shown with content_status still pending.
import { z } from "zod";
import { AppError } from "../../_shared/errors.ts";
import { fetchMeetingContentNow } from "../../_shared/fathom/content.ts";
import { jsonResponse, logError, type Route } from "../../_shared/http.ts";
import { decodeJsonCursor, encodeJsonCursor, isSortKeyTimestamp, parseQuery, searchText } from "./common.ts";
import { getMeeting, listMeetings, meetingContentStatus, type MeetingKey } from "./meetings_store.ts";
import { teamRoute } from "./team_route.ts";

export const MEETINGS_PAGE_SIZE = 25;

// --- the opaque cursor: base64url(JSON [sort key, id]), as the leads' (common.ts) -----------------------------------

const cursorSchema = z.tuple([z.string().refine(isSortKeyTimestamp), z.uuid()]);

export function encodeCursor(key: MeetingKey): string {
  return encodeJsonCursor([key.sortKey, key.id]);
}

/** The key a cursor continues after, or 400 invalid_request "cursor is invalid.". */
export function decodeCursor(cursor: string): MeetingKey {
  const [sortKey, id] = decodeJsonCursor(cursor, cursorSchema);
  return { sortKey, id: id.toLowerCase() };
}

const listQuery = z.object({
  q: searchText,
  leadId: z.uuid().optional(),
  cursor: z.string().max(500).optional().transform((v) => v || undefined),
});

// --- handlers ----------------------------------------------------------------------------------------------------

const listTeamMeetings = teamRoute(async ({ req, teamId, asMember }) => {
  const query = parseQuery(req, listQuery);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const page = await asMember((tx) =>
    listMeetings(tx, teamId, {
      q: query.q,
      leadId: query.leadId?.toLowerCase(),
      after,
      limit: MEETINGS_PAGE_SIZE,
    })
  );
  return jsonResponse({ meetings: page.meetings, next_cursor: page.next ? encodeCursor(page.next) : null });
});

const getTeamMeeting = teamRoute(async ({ teamId, uuid, asMember, asUser }) => {
  const meetingId = uuid("meetingId");
  // 1. may the caller see it, and is its content still to fetch? (as the user: an outsider triggers nothing)
  const status = await asMember((tx) => meetingContentStatus(tx, teamId, meetingId));
  if (status === null) throw new AppError("meeting_not_found", "Meeting not found.");
  // 2. pending content: fetch it now, with no transaction open
  if (status === "pending") {
    try {
      await fetchMeetingContentNow(teamId, meetingId);
    } catch (err) {
      logError("fetch meeting content now", err);
    }
  }
  // 3. read what is there now, as the user (the gate passed in 1; RLS still decides)
  const meeting = await asUser((tx) => getMeeting(tx, teamId, meetingId));
  if (!meeting) throw new AppError("meeting_not_found", "Meeting not found.");
  return jsonResponse({ meeting });
});

export const meetingRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/meetings", handler: listTeamMeetings },
  { method: "GET", path: "/api/teams/:teamId/meetings/:meetingId", handler: getTeamMeeting },
];
