// Fathom's REST API (base <sandbox>/external/v1): meetings, recordings, teams, webhooks.
// Order per request: authenticate -> count against the rate limit -> injected failures -> route.

import type { SandboxContext } from "./context.ts";
import { malformedResponse, serverErrorResponse } from "./failures.ts";
import { generateContent } from "./generator.ts";
import { apiError, delay, json } from "./http.ts";
import { isExternalMeeting, type IncludeSections, recordingUrl, toWireMeeting } from "./meeting-wire.ts";
import { InvalidCursor, listMeetingPage } from "./meeting-list.ts";
import { rateLimitHeaders } from "./ratelimit.ts";
import { canSee, emailDomain, type MeetingRecord, type SandboxUser } from "./store.ts";
import { createWebhook, deleteWebhook } from "./webhooks.ts";

export const API_PREFIX = "/external/v1";

export interface Caller {
  user: SandboxUser;
  /** OAuth apps may not inline transcripts or summaries in GET /meetings. */
  viaOAuth: boolean;
}

function unauthorized(message: string): Response {
  return apiError(401, "unauthorized", message, { "www-authenticate": 'Bearer realm="fathom-sandbox", error="invalid_token"' });
}

export function authenticate(ctx: SandboxContext, req: Request): Caller | Response {
  const authorization = req.headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) {
    const token = ctx.store.accessTokens.get(bearer);
    if (!token) return unauthorized("Invalid access token");
    if (token.expiresAtMs <= ctx.now()) return unauthorized("The access token has expired");
    if (ctx.store.grants.get(token.grantId)?.revoked) return unauthorized("The access token has been revoked");
    return { user: ctx.ensureUser(token.userEmail), viaOAuth: true };
  }
  const apiKey = req.headers.get("x-api-key");
  if (apiKey) {
    const email = ctx.store.apiKeys.get(apiKey);
    return email ? { user: ctx.ensureUser(email), viaOAuth: false } : unauthorized("Invalid API key");
  }
  return unauthorized("Missing Authorization header");
}

export async function handleApi(ctx: SandboxContext, req: Request, url: URL): Promise<Response> {
  const caller = authenticate(ctx, req);
  if (caller instanceof Response) return caller;

  const limit = ctx.apiLimiter.hit(`account:${caller.user.email}`);
  const headers = rateLimitHeaders(limit);
  if (!limit.allowed) return apiError(429, "rate_limited", "Rate limit exceeded", headers);

  const rule = ctx.failures.take("api", () => true);
  if (rule?.mode === "slow") await delay(rule.delayMs);
  else if (rule?.mode === "malformed") return withHeaders(malformedResponse(), headers);
  else if (rule?.mode === "rate_limited") {
    return apiError(429, "rate_limited", "Rate limit exceeded", { ...headers, "RateLimit-Remaining": "0" });
  } else if (rule?.mode === "invalid_grant") return unauthorized("The access token has been revoked");
  else if (rule?.mode === "not_found") return apiError(404, "not_found", "Recording not found", headers);
  else if (rule) return withHeaders(serverErrorResponse(rule.mode as "status_500" | "status_503"), headers);

  return withHeaders(await route(ctx, caller, req, url), headers);
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

function route(ctx: SandboxContext, caller: Caller, req: Request, url: URL): Response | Promise<Response> {
  const path = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, "");
  const recording = path.match(/^\/recordings\/([^/]+)\/(transcript|summary)$/);
  const webhook = path.match(/^\/webhooks\/([^/]+)$/);
  const method = req.method;

  if (path === "/meetings") return method === "GET" ? listMeetings(ctx, caller, url.searchParams) : notAllowed("GET");
  if (recording) return method === "GET" ? recordingPart(ctx, caller, recording[1], recording[2], url) : notAllowed("GET");
  if (path === "/teams") return method === "GET" ? listTeams(ctx, caller, url.searchParams) : notAllowed("GET");
  if (path === "/team_members") return method === "GET" ? listTeamMembers(ctx, caller, url.searchParams) : notAllowed("GET");
  if (path === "/webhooks") return method === "POST" ? createWebhook(ctx, caller.user, req) : notAllowed("POST");
  if (webhook) return method === "DELETE" ? deleteWebhook(ctx, caller.user, webhook[1]) : notAllowed("DELETE");
  return apiError(404, "not_found", `No route for ${method} ${url.pathname}`);
}

function notAllowed(allow: string): Response {
  return apiError(405, "method_not_allowed", `Use ${allow}`, { allow });
}

// ---------------------------------------------------------------------------------------------------------------
// Query parsing

class BadRequest extends Error {}

/** Array filters arrive as `name[]=a&name[]=b` (Fathom's style); plain `name=a` is accepted too. */
function getAll(params: URLSearchParams, name: string): string[] {
  return [...params.getAll(`${name}[]`), ...params.getAll(name)].filter((v) => v !== "");
}

function getBool(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === "") return false;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new BadRequest(`${name} must be true or false`);
}

function getDate(params: URLSearchParams, name: string): number | null {
  const value = params.get(name);
  if (value === null || value === "") return null;
  // ISO 8601 with a time zone; Date.parse alone would also accept "March 3".
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value)) {
    throw new BadRequest(`${name} must be an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadRequest(`${name} is not a valid date`);
  return ms;
}

function decodeOffsetCursor(value: string | null): number {
  if (!value) return 0;
  try {
    const { o } = JSON.parse(atob(value));
    if (Number.isInteger(o) && o >= 0) return o;
  } catch { /* fall through */ }
  throw new BadRequest("Invalid cursor");
}

function badRequest(error: unknown): Response {
  if (error instanceof BadRequest) return apiError(400, "bad_request", error.message);
  throw error;
}

// ---------------------------------------------------------------------------------------------------------------
// GET /meetings

const DOMAINS_TYPES = ["all", "only_internal", "one_or_more_external"] as const;

interface MeetingFilter {
  createdAfterMs: number | null;
  createdBeforeMs: number | null;
  recordedBy: Set<string>;
  teams: Set<string>;
  domains: Set<string>;
  domainsType: (typeof DOMAINS_TYPES)[number];
}

function parseMeetingQuery(caller: Caller, params: URLSearchParams): { filter: MeetingFilter; include: IncludeSections; cursor: string | null } {
  const include: IncludeSections = {
    transcript: getBool(params, "include_transcript"),
    summary: getBool(params, "include_summary"),
    actionItems: getBool(params, "include_action_items"),
    crmMatches: getBool(params, "include_crm_matches"),
  };
  if (caller.viaOAuth && (include.transcript || include.summary)) {
    const which = include.transcript ? "include_transcript" : "include_summary";
    throw new BadRequest(
      `${which} is unavailable for OAuth connected apps (use /recordings/{recording_id}/transcript and /recordings/{recording_id}/summary instead)`,
    );
  }
  let domainsType = params.get("calendar_invitees_domains_type") || "all";
  // The deprecated meeting_type filter maps onto the same distinction.
  const meetingType = params.get("meeting_type");
  if (meetingType === "internal") domainsType = "only_internal";
  if (meetingType === "external") domainsType = "one_or_more_external";
  if (!DOMAINS_TYPES.includes(domainsType as MeetingFilter["domainsType"])) {
    throw new BadRequest(`calendar_invitees_domains_type must be one of ${DOMAINS_TYPES.join(", ")}`);
  }
  return {
    include,
    cursor: params.get("cursor") || null,
    filter: {
      createdAfterMs: getDate(params, "created_after"),
      createdBeforeMs: getDate(params, "created_before"),
      recordedBy: new Set(getAll(params, "recorded_by").map((e) => e.toLowerCase())),
      teams: new Set(getAll(params, "teams")),
      domains: new Set(getAll(params, "calendar_invitees_domains").map((d) => d.toLowerCase())),
      domainsType: domainsType as MeetingFilter["domainsType"],
    },
  };
}

function matches(ctx: SandboxContext, m: MeetingRecord, f: MeetingFilter): boolean {
  if (f.createdAfterMs !== null && !(m.createdAtMs > f.createdAfterMs)) return false;
  if (f.createdBeforeMs !== null && !(m.createdAtMs < f.createdBeforeMs)) return false;
  if (f.recordedBy.size && !f.recordedBy.has(m.recorderEmail)) return false;
  if (f.teams.size) {
    const team = ctx.store.users.get(m.recorderEmail)?.team;
    if (!team || !f.teams.has(team)) return false;
  }
  if (f.domains.size && !m.attendees.some((a) => f.domains.has(emailDomain(a.email)))) return false;
  if (f.domainsType === "only_internal" && isExternalMeeting(m)) return false;
  if (f.domainsType === "one_or_more_external" && !isExternalMeeting(m)) return false;
  return true;
}

function listMeetings(ctx: SandboxContext, caller: Caller, params: URLSearchParams): Response {
  let query;
  let page;
  try {
    query = parseMeetingQuery(caller, params);
    page = listMeetingPage(ctx.store.meetings, ctx.options.cursorMode, {
      user: caller.user,
      matches: (m) => matches(ctx, m, query!.filter),
      pageSize: ctx.options.pageSize,
      cursor: query.cursor,
    });
  } catch (error) {
    return badRequest(error instanceof InvalidCursor ? new BadRequest(error.message) : error);
  }
  return json({
    items: page.items.map((m) => toWireMeeting(m, query.include, ctx.wire)),
    limit: ctx.options.pageSize,
    next_cursor: page.nextCursor,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// GET /recordings/{id}/transcript|summary

function recordingPart(ctx: SandboxContext, caller: Caller, rawId: string, part: string, url: URL): Response {
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : NaN;
  const meeting = Number.isSafeInteger(id) ? ctx.store.meetings.get(id) : undefined;
  // Someone else's recording is indistinguishable from a missing one.
  if (!meeting || !canSee(caller.user, meeting)) return apiError(404, "not_found", "Recording not found");
  const content = generateContent(meeting, ctx.wire.lookupUser, recordingUrl(ctx.options.publicUrl, meeting.recordingId));
  const body = part === "transcript" ? { transcript: content.transcript } : { summary: content.summary };

  const destination = url.searchParams.get("destination_url");
  if (destination) {
    // Fathom then POSTs the data asynchronously; the shape of that POST is undocumented, so we send the same body.
    fetch(destination, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then((res) => res.body?.cancel())
      .catch(() => {});
    return json({ destination_url: destination });
  }
  return json(body);
}

// ---------------------------------------------------------------------------------------------------------------
// GET /teams, GET /team_members

function paginate<T>(ctx: SandboxContext, items: T[], params: URLSearchParams): Response {
  let offset;
  try {
    offset = decodeOffsetCursor(params.get("cursor"));
  } catch (error) {
    return badRequest(error);
  }
  const pageSize = ctx.options.pageSize;
  const next = offset + pageSize;
  return json({
    items: items.slice(offset, next),
    limit: pageSize,
    next_cursor: next < items.length ? btoa(JSON.stringify({ o: next })) : null,
  });
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Teams belong to the caller's organisation, i.e. their e-mail domain. */
function orgUsers(ctx: SandboxContext, user: SandboxUser): SandboxUser[] {
  const domain = emailDomain(user.email);
  return [...ctx.store.users.values()].filter((u) => emailDomain(u.email) === domain);
}

function listTeams(ctx: SandboxContext, caller: Caller, params: URLSearchParams): Response {
  const orgTeams = new Set(orgUsers(ctx, caller.user).map((u) => u.team).filter(Boolean));
  const teams = ctx.store.teams
    .filter((t) => orgTeams.has(t.name))
    .map((t) => ({ name: t.name, created_at: iso(t.createdAtMs) }));
  return paginate(ctx, teams, params);
}

function listTeamMembers(ctx: SandboxContext, caller: Caller, params: URLSearchParams): Response {
  const team = params.get("team");
  const members = orgUsers(ctx, caller.user)
    .filter((u) => (team ? u.team === team : true))
    .map((u) => ({ name: u.name, email: u.email, created_at: iso(u.createdAtMs) }));
  return paginate(ctx, members, params);
}
