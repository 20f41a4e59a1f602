// Zoom's REST API as the CRM uses it (providers.md §3), under /zoom/v2 (the token response's `api_url` is the
// sandbox's /zoom; the app's ZOOM_API_BASE_URL is /zoom/v2):
//   GET /v2/users/me                                   the signed-in user (needs user:read:user)
//   GET /v2/users/me/recordings?from&to&page_size&next_page_token
//                                                      cloud recordings, from/to at most one month apart
//   GET /v2/meetings/{uuid}/recordings                 one meeting's recordings
//   GET /v2/past_meetings/{uuid}/participants          who attended (name, user_email), paged like recordings
//   GET /rec/download/{fileId}                         a file's bytes, with the bearer token, ?access_token= or the
//                                                      webhook's download_token
// Errors are Zoom's {code, message}; the "api" failure switch answers 429 with Zoom's headers, 503, or slowly.

import { bearerToken, json } from "../sandbox/http.ts";
import { randomToken } from "../sandbox/ids.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_TOKEN_TTL_MS, SCOPES_FOR, userById, type ZoomUser } from "./account.ts";
import type { ZoomContext } from "./context.ts";
import { apiError, expiredToken, invalidToken, missingScopes, zoomOutage } from "./errors.ts";
import { downloadTokenValid, meetingWire } from "./recordings.ts";
import type { Grant } from "./store.ts";

type Authed = { ok: true; grant: Grant; user: ZoomUser } | { ok: false; response: Response };

function authorize(ctx: ZoomContext, token: string | null, scopes: readonly string[] | null): Authed {
  const entry = token ? ctx.store.accessTokens.get(token) : undefined;
  const grant = entry && ctx.store.grants.get(entry.grantId);
  const user = grant && userById(grant.userId);
  if (!entry || !grant || !user || entry.revoked || grant.revoked) return { ok: false, response: invalidToken() };
  if (entry.expiresAtMs <= ctx.now()) return { ok: false, response: expiredToken() };
  if (scopes && !scopes.some((s) => grant.scopes.includes(s))) return { ok: false, response: missingScopes(scopes.slice(0, 1)) };
  return { ok: true, grant, user };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(raw: string): number | null {
  const m = DATE.exec(raw);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === raw ? ms : null;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The same day one month later (clamped to the month's end): Zoom's largest from..to range. */
function oneMonthAfter(ms: number): number {
  const d = new Date(ms);
  const target = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  const endOfNext = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0);
  return Math.min(target, endOfNext);
}

function pageSizeOf(raw: string | null): number {
  const n = raw === null ? DEFAULT_PAGE_SIZE : Number(raw);
  if (!Number.isInteger(n) || n < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(n, MAX_PAGE_SIZE);
}

/** Pages a list: the next_page_token is bound to the query (`key`) and lives 15 minutes. */
function page<T>(ctx: ZoomContext, items: T[], key: string, url: URL): { ok: true; items: T[]; next: string; size: number } | { ok: false; response: Response } {
  const size = pageSizeOf(url.searchParams.get("page_size"));
  let offset = 0;
  const raw = url.searchParams.get("next_page_token");
  if (raw) {
    const token = ctx.store.pageTokens.get(raw);
    if (!token || token.key !== key || token.expiresAtMs <= ctx.now()) {
      return { ok: false, response: apiError(400, 300, "The next page token is invalid or expired.") };
    }
    offset = token.offset;
  }
  const slice = items.slice(offset, offset + size);
  let next = "";
  if (offset + size < items.length) {
    next = randomToken("", 24);
    ctx.store.pageTokens.set(next, { key, offset: offset + size, expiresAtMs: ctx.now() + PAGE_TOKEN_TTL_MS });
  }
  return { ok: true, items: slice, next, size };
}

function listRecordings(ctx: ZoomContext, user: ZoomUser, url: URL): Response {
  const today = Date.UTC(new Date(ctx.now()).getUTCFullYear(), new Date(ctx.now()).getUTCMonth(), new Date(ctx.now()).getUTCDate());
  const rawFrom = url.searchParams.get("from");
  const rawTo = url.searchParams.get("to");
  const from = rawFrom === null || rawFrom === "" ? today : parseDate(rawFrom);
  if (from === null) return apiError(400, 300, "Invalid parameter: from.");
  const to = rawTo === null || rawTo === "" ? today : parseDate(rawTo);
  if (to === null) return apiError(400, 300, "Invalid parameter: to.");
  if (to < from) return apiError(400, 300, "The parameter to must be on or after from.");
  if (to > oneMonthAfter(from)) return apiError(400, 300, "The date range between from and to can be at most one month.");
  const endExclusive = to + 24 * 3600 * 1000;
  const meetings = ctx.store.meetings
    .filter((m) => m.host_id === user.id && !m.trashed)
    .filter((m) => {
      const at = Date.parse(m.start_time);
      return at >= from && at < endExclusive;
    })
    .sort((a, b) => Date.parse(b.start_time) - Date.parse(a.start_time));
  const paged = page(ctx, meetings, `recordings|${user.id}|${isoDate(from)}|${isoDate(to)}`, url);
  if (!paged.ok) return paged.response;
  return json({
    from: isoDate(from),
    to: isoDate(to),
    page_count: Math.ceil(meetings.length / paged.size),
    page_size: paged.size,
    total_records: meetings.length,
    next_page_token: paged.next,
    meetings: paged.items.map((m) => meetingWire(ctx, m)),
  });
}

/** A meeting UUID in a path: Zoom wants it double-encoded when it starts with "/" or holds "//"; both read here. */
function meetingByPathUuid(ctx: ZoomContext, raw: string) {
  const once = safeDecode(raw);
  return ctx.store.meetings.find((m) => m.uuid === once) ?? ctx.store.meetings.find((m) => m.uuid === safeDecode(once));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function listParticipants(ctx: ZoomContext, user: ZoomUser, rawUuid: string, url: URL): Response {
  const meeting = meetingByPathUuid(ctx, rawUuid);
  if (!meeting || meeting.account_id !== user.account_id) return apiError(404, 3001, "Meeting does not exist.");
  const people = [{ name: `${user.id === meeting.host_id ? `${user.first_name} ${user.last_name}` : "Host"}`, email: meeting.host_email }, ...meeting.participants];
  const paged = page(ctx, people, `participants|${meeting.uuid}`, url);
  if (!paged.ok) return paged.response;
  return json({
    page_count: Math.ceil(people.length / paged.size),
    page_size: paged.size,
    total_records: people.length,
    next_page_token: paged.next,
    participants: paged.items.map((p, i) => ({ id: `p${i}-${meeting.id}`, name: p.name, user_email: p.email })),
  });
}

function meetingRecordings(ctx: ZoomContext, user: ZoomUser, rawUuid: string): Response {
  const meeting = meetingByPathUuid(ctx, rawUuid);
  if (!meeting || meeting.trashed || meeting.account_id !== user.account_id) return apiError(404, 3301, "This recording does not exist.");
  return json(meetingWire(ctx, meeting));
}

/** GET /zoom/v2/... behind the bearer token. `path` is what follows /v2. */
export async function handleApi(ctx: ZoomContext, req: Request, url: URL, path: string): Promise<Response> {
  const outage = await zoomOutage(ctx.failures.take("api"), ctx.now(), () => invalidToken());
  if (outage) return outage;
  if (req.method !== "GET") return apiError(405, 405, "Method not allowed.");
  const token = bearerToken(req);
  let m: RegExpExecArray | null;
  if (path === "/users/me") {
    const auth = authorize(ctx, token, SCOPES_FOR.me);
    if (!auth.ok) return auth.response;
    const u = auth.user;
    return json({
      id: u.id,
      first_name: u.first_name,
      last_name: u.last_name,
      display_name: `${u.first_name} ${u.last_name}`,
      email: u.email,
      type: 2,
      role_name: "Member",
      pmi: 5_551_234_567,
      timezone: u.timezone,
      verified: 1,
      language: "en-US",
      status: "active",
      account_id: u.account_id,
      account_number: 10_001,
    });
  }
  if (path === "/users/me/recordings") {
    const auth = authorize(ctx, token, SCOPES_FOR.recordings);
    return auth.ok ? listRecordings(ctx, auth.user, url) : auth.response;
  }
  if ((m = /^\/past_meetings\/([^/]+(?:%2F[^/]*)*)\/participants$/i.exec(path))) {
    const auth = authorize(ctx, token, SCOPES_FOR.participants);
    return auth.ok ? listParticipants(ctx, auth.user, m[1], url) : auth.response;
  }
  if ((m = /^\/meetings\/(.+)\/recordings$/.exec(path))) {
    const auth = authorize(ctx, token, SCOPES_FOR.recordings);
    return auth.ok ? meetingRecordings(ctx, auth.user, m[1]) : auth.response;
  }
  return apiError(404, 404, "Not found.");
}

/** GET /zoom/rec/download/{fileId}: bearer (or ?access_token=) of the account's grant, or the delivery's download_token. */
export async function handleDownload(ctx: ZoomContext, req: Request, url: URL, fileId: string): Promise<Response> {
  const outage = await zoomOutage(ctx.failures.take("api"), ctx.now(), () => invalidToken());
  if (outage) return outage;
  const meeting = ctx.store.meetings.find((m) => m.files.some((f) => f.id === fileId));
  const file = meeting?.files.find((f) => f.id === fileId);
  if (!meeting || !file || meeting.trashed) return apiError(404, 3301, "This recording does not exist.");
  const token = bearerToken(req) ?? url.searchParams.get("access_token");
  const viaDownloadToken = !token && downloadTokenValid(ctx, url.searchParams.get("download_token"), meeting.uuid);
  if (!viaDownloadToken) {
    const auth = authorize(ctx, token, SCOPES_FOR.recordings);
    if (!auth.ok) return auth.response;
    if (auth.user.account_id !== meeting.account_id) return apiError(404, 3301, "This recording does not exist.");
  }
  if (file.file_type === "TRANSCRIPT") return new Response(file.content, { headers: { "content-type": "text/vtt; charset=utf-8" } });
  return new Response(file.content, { headers: { "content-type": "application/octet-stream" } });
}
