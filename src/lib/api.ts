import { FunctionsFetchError, FunctionsHttpError, FunctionsRelayError } from "@supabase/supabase-js";
import { supabase } from "./supabase";
import type {
  ChatDestination,
  FathomSync,
  FathomSyncState,
  Lead,
  LeadDetail,
  LeadInput,
  LeadPatch,
  LeadsPage,
  LeadsQuery,
  MeetingDetail,
  MeetingsPage,
  MeetingsQuery,
  Member,
  Team,
  TeamIntegration,
  TeamSettings,
  Invitation,
  InviteResult,
  TeamInvite,
  TeamRole,
  LeadNote,
  Task,
  TaskInput,
  TaskPatch,
  TasksPage,
  TasksQuery,
  TimelinePage,
} from "./types";
import type { MeetingProviderId, ProviderId } from "./providers";
import { ApiError, NETWORK_ERROR, parseRetryAfter } from "./apiError";
import { loadErrorMessages } from "./errorText";
import { clipSearch } from "./search";
import {
  type DisconnectResult,
  parseDestination,
  parseDisconnectResult,
  parseIntegration,
} from "./fathomSchema";

// Parsers of pages other than Integrations (and of its dialogs' answers) load with the first answer that needs them,
// in parallel with nothing (the answer is already here), so they stay out of every page's entry chunk (the 150 kB
// budget, issue 10).
const meetingSchema = () => import("./meetingSchema");
const activitySchema = () => import("./activitySchema");
const crmSchema = () => import("./crmSchema");
const syncSchema = () => import("./syncSchema");

export { ApiError };

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const SERVER_ANSWERED_ERROR = "The server answered with an error.";

/** Turn whatever supabase.functions.invoke returned as `error` into an ApiError with a human message. */
export async function toApiError(error: unknown): Promise<ApiError> {
  if (error instanceof ApiError) return error;
  if (error instanceof FunctionsHttpError || error instanceof FunctionsRelayError) {
    const res = (error as { context?: unknown }).context;
    if (res instanceof Response) {
      let body: unknown = null;
      try {
        body = await res.clone().json();
      } catch {
        body = null;
      }
      const env = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof env?.code === "string" ? env.code : `http_${res.status}`;
      const detail = typeof env?.message === "string" ? env.message : undefined;
      // People read the table's sentence for the code; the server's message stays in `detail` for developers. The
      // table loads with the first failure (errorText.ts); when it cannot be fetched, a plain sentence says what is known.
      const words = await loadErrorMessages().catch(() => undefined);
      const message = words ? words.messageFor(code, res.status, detail ?? "") : SERVER_ANSWERED_ERROR;
      return new ApiError(code, message, res.status, parseRetryAfter(res.headers.get("retry-after")), detail);
    }
    return new ApiError("http_error", SERVER_ANSWERED_ERROR);
  }
  if (error instanceof FunctionsFetchError) {
    return new ApiError("network_error", NETWORK_ERROR);
  }
  if (error instanceof Error) return new ApiError("unknown_error", error.message || "Something went wrong.");
  return new ApiError("unknown_error", "Something went wrong.");
}

/** The one place the app talks to edge functions. `path` is "<function>/<sub path>", e.g. "api/teams". */
export async function request<T>(path: string, method: Method = "GET", body?: unknown): Promise<T> {
  const { data, error } = await supabase.functions.invoke(path, {
    method,
    ...(body === undefined ? {} : { body: body as Record<string, unknown> }),
  });
  if (error) throw await toApiError(error);
  return data as T;
}

const enc = encodeURIComponent;

/** "?a=1&b=2" from the non-empty values, or "" when there are none. */
/** A query string from the non-empty values; an array becomes one parameter per item (`email=a&email=b`). */
function query(params: Record<string, string | string[] | null | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const item of v) qs.append(k, item);
    else if (v) qs.set(k, v);
  }
  const s = qs.toString();
  return s ? `?${s}` : "";
}

const team = (teamId: string) => `api/teams/${enc(teamId)}`;

export const api = {
  listTeams: () => request<{ teams: Team[] }>("api/teams", "GET").then((d) => d?.teams ?? []),

  listIntegrations: (teamId: string) =>
    request<{ integrations: TeamIntegration[] }>(`api/teams/${enc(teamId)}/integrations`, "GET").then(
      (d) => (Array.isArray(d?.integrations) ? d.integrations.map(parseIntegration) : []),
    ),

  /**
   * Resolves to what is left to do by hand once the row is gone: the provider's failed cleanup (`warning`), an
   * unconfirmed revocation (`revocationMessage`); both null for a clean disconnect.
   */
  disconnectIntegration: (teamId: string, provider: string): Promise<DisconnectResult> =>
    request<unknown>(`api/teams/${enc(teamId)}/integrations/${enc(provider)}`, "DELETE").then(parseDisconnectResult),

  /**
   * POST <provider>-oauth-start `{teamId, redirectUri}` -> `{authUrl, confirmSecret}`. `confirmSecret` binds the flow
   * to this app: keep it (never in a URL) for confirmOAuth.
   */
  startOAuth: (provider: ProviderId, input: { teamId: string; redirectUri: string }) =>
    request<{ authUrl: string; confirmSecret: string }>(`${provider}-oauth-start`, "POST", input).then((d) => {
      if (!d || typeof d.authUrl !== "string" || typeof d.confirmSecret !== "string") {
        throw new ApiError("invalid_response", "The server did not return an authorization URL.");
      }
      return { authUrl: d.authUrl, confirmSecret: d.confirmSecret };
    }),

  /** The initiator's confirmation of a finished authorization (any provider): only then is the team connected. */
  confirmOAuth: (input: { pendingId: string; confirmSecret: string }) =>
    request<{ status: "connected"; provider: string; teamId: string }>("oauth-confirm", "POST", input),

  /**
   * POST api/teams/:teamId/integrations/:provider/test-message (admins; Slack, Discord) -> where it was posted.
   * Errors (ApiError codes): destination_gone (409; the integration now needs reconnecting), provider_rate_limited
   * (429; `retryAfterSeconds`), provider_unavailable (503), not_found, not_supported, not_team_admin.
   */
  sendTestMessage: (teamId: string, provider: ProviderId) =>
    request<{ status?: unknown; destination?: unknown }>(
      `${team(teamId)}/integrations/${enc(provider)}/test-message`,
      "POST",
    ).then((d): { status: "sent"; destination: ChatDestination | null } => ({
      status: "sent",
      destination: parseDestination(d?.destination),
    })),

  listMembers: (teamId: string) =>
    request<{ members: Member[] }>(`${team(teamId)}/members`, "GET").then((d) => d?.members ?? []),

  getTeamSettings: (teamId: string) =>
    request<{ settings: TeamSettings }>(`${team(teamId)}/settings`, "GET").then((d) => d.settings),

  updateTeamSettings: (teamId: string, patch: Partial<TeamSettings>) =>
    request<{ settings: TeamSettings }>(`${team(teamId)}/settings`, "PATCH", patch).then((d) => d.settings),

  listLeads: (teamId: string, params: LeadsQuery = {}) =>
    request<{ leads?: Lead[]; next_cursor?: unknown }>(
      `${team(teamId)}/leads${query({
        q: clipSearch(params.q),
        stage: params.stage,
        owner: params.owner,
        sort: params.sort,
        dir: params.dir,
        email: params.emails,
        limit: params.limit ? String(params.limit) : undefined,
        cursor: params.cursor,
      })}`,
      "GET",
    ).then(
      (d): LeadsPage => ({
        leads: Array.isArray(d?.leads) ? d.leads : [],
        next_cursor: typeof d?.next_cursor === "string" && d.next_cursor ? d.next_cursor : null,
      }),
    ),

  createLead: (teamId: string, input: LeadInput) =>
    request<{ lead: Lead }>(`${team(teamId)}/leads`, "POST", input).then((d) => d.lead),

  getLead: (teamId: string, leadId: string) =>
    request<{ lead: Lead; meetings?: unknown }>(`${team(teamId)}/leads/${enc(leadId)}`, "GET").then(
      async (d): Promise<LeadDetail> => ({ lead: d.lead, meetings: (await meetingSchema()).parseMeetingList(d.meetings) }),
    ),

  updateLead: (teamId: string, leadId: string, patch: LeadPatch) =>
    request<{ lead: Lead }>(`${team(teamId)}/leads/${enc(leadId)}`, "PATCH", patch).then((d) => d.lead),

  deleteLead: (teamId: string, leadId: string) =>
    request<unknown>(`${team(teamId)}/leads/${enc(leadId)}`, "DELETE").then(() => undefined),

  // Meetings carry provider data: parsed by meetingSchema.ts so components receive only what they render.
  listMeetings: (teamId: string, params: MeetingsQuery = {}) =>
    request<{ meetings?: unknown; next_cursor?: unknown }>(
      `${team(teamId)}/meetings${query({ q: clipSearch(params.q), leadId: params.leadId, cursor: params.cursor })}`,
      "GET",
    ).then(
      async (d): Promise<MeetingsPage> => ({
        meetings: (await meetingSchema()).parseMeetingList(d?.meetings),
        next_cursor: typeof d?.next_cursor === "string" && d.next_cursor ? d.next_cursor : null,
      }),
    ),

  getMeeting: (teamId: string, meetingId: string): Promise<MeetingDetail> =>
    request<{ meeting?: unknown }>(`${team(teamId)}/meetings/${enc(meetingId)}`, "GET").then(async (d) =>
      (await meetingSchema()).parseMeetingDetail(d?.meeting),
    ),

  /**
   * A meeting provider's (Fathom, Zoom) import of past meetings and its webhook inbox (`inbox` null from servers
   * that do not send it).
   */
  getMeetingSync: (teamId: string, provider: MeetingProviderId): Promise<FathomSyncState> =>
    request<unknown>(`${team(teamId)}/integrations/${enc(provider)}/sync`, "GET").then(async (d) =>
      (await syncSchema()).parseSyncState(d),
    ),

  /** After a completed import the server lists only what is new; `full` re-lists the whole history. */
  startMeetingSync: (teamId: string, provider: MeetingProviderId, options: { full?: boolean } = {}) =>
    request<{ sync: FathomSync }>(
      `${team(teamId)}/integrations/${enc(provider)}/sync`,
      "POST",
      options.full ? { full: true } : undefined,
    ).then((d) => d.sync),

  // Team membership (roles, removal, leaving, invites, a new team): the database decides who may (RLS, last owner).
  changeMemberRole: (teamId: string, userId: string, role: TeamRole) =>
    request<{ member: Member }>(`${team(teamId)}/members/${enc(userId)}`, "PATCH", { role }).then((d) => d.member),

  /** Removes a member, or the caller itself (leaving the team). */
  removeMember: (teamId: string, userId: string) =>
    request<unknown>(`${team(teamId)}/members/${enc(userId)}`, "DELETE").then(() => undefined),

  listInvites: (teamId: string) =>
    request<{ invites: TeamInvite[] }>(`${team(teamId)}/invites`, "GET").then((d) => d?.invites ?? []),

  inviteMember: (teamId: string, input: { email: string; role: TeamRole }) =>
    request<InviteResult>(`${team(teamId)}/invites`, "POST", input),

  revokeInvite: (teamId: string, inviteId: string) =>
    request<unknown>(`${team(teamId)}/invites/${enc(inviteId)}`, "DELETE").then(() => undefined),

  createTeam: (name: string) => request<{ team: Team }>("api/teams", "POST", { name }).then((d) => d.team),

  /** The signed-in person's pending invitations (empty until their address is confirmed). */
  listMyInvitations: () =>
    request<{ invitations: Invitation[] }>("api/invitations", "GET").then((d) => d?.invitations ?? []),

  /** Joins the invitation's team; answers the team (the same when already accepted). */
  acceptInvitation: (inviteId: string) =>
    request<{ team: Team }>(`api/invitations/${enc(inviteId)}/accept`, "POST").then((d) => d.team),

  declineInvitation: (inviteId: string) =>
    request<unknown>(`api/invitations/${enc(inviteId)}/decline`, "POST").then(() => undefined),

  /** Import runs, deliveries received, failed items and a chat provider's posts (members). */
  getIntegrationActivity: (teamId: string, provider: ProviderId) =>
    request<unknown>(`${team(teamId)}/integrations/${enc(provider)}/activity`, "GET").then(async (d) =>
      (await activitySchema()).parseActivity(d),
    ),

  /** Admins: retry one failed meeting (its content) or webhook delivery through the import's own code. */
  retryIntegrationItem: (teamId: string, provider: ProviderId, item: { kind: "meeting" | "delivery"; id: string }) =>
    request<unknown>(`${team(teamId)}/integrations/${enc(provider)}/activity/retry`, "POST", item).then(async (d) =>
      (await activitySchema()).parseRetry(d),
    ),

  // Tasks, notes and the lead timeline (issue 11): parsed by crmSchema.ts, loaded with the first answer.

  /** GET tasks: one keyset page (open: due soon first; done: last done first). */
  listTasks: (teamId: string, params: TasksQuery = {}): Promise<TasksPage> =>
    request<unknown>(
      `${team(teamId)}/tasks${query({
        assignee: params.assignee,
        status: params.status,
        lead_id: params.lead_id,
        cursor: params.cursor,
        limit: params.limit ? String(params.limit) : undefined,
      })}`,
      "GET",
    ).then(async (d) => (await crmSchema()).parseTasksPage(d)),

  /** POST tasks; with meeting_id + action_item_index idempotent (the item's task, created or returned). */
  createTask: (teamId: string, input: TaskInput): Promise<Task> =>
    request<unknown>(`${team(teamId)}/tasks`, "POST", input).then(async (d) => (await crmSchema()).parseTask(d)),

  updateTask: (teamId: string, taskId: string, patch: TaskPatch): Promise<Task> =>
    request<unknown>(`${team(teamId)}/tasks/${enc(taskId)}`, "PATCH", patch).then(async (d) =>
      (await crmSchema()).parseTask(d),
    ),

  deleteTask: (teamId: string, taskId: string) =>
    request<unknown>(`${team(teamId)}/tasks/${enc(taskId)}`, "DELETE").then(() => undefined),

  /** GET a lead's timeline, newest first. */
  getLeadTimeline: (teamId: string, leadId: string, params: { cursor?: string | null } = {}): Promise<TimelinePage> =>
    request<unknown>(`${team(teamId)}/leads/${enc(leadId)}/timeline${query({ cursor: params.cursor })}`, "GET").then(
      async (d) => (await crmSchema()).parseTimelinePage(d),
    ),

  addLeadNote: (teamId: string, leadId: string, body: string): Promise<LeadNote> =>
    request<unknown>(`${team(teamId)}/leads/${enc(leadId)}/notes`, "POST", { body }).then(async (d) =>
      (await crmSchema()).parseNote(d),
    ),

  updateLeadNote: (teamId: string, leadId: string, noteId: string, body: string): Promise<LeadNote> =>
    request<unknown>(`${team(teamId)}/leads/${enc(leadId)}/notes/${enc(noteId)}`, "PATCH", { body }).then(async (d) =>
      (await crmSchema()).parseNote(d),
    ),

  deleteLeadNote: (teamId: string, leadId: string, noteId: string) =>
    request<unknown>(`${team(teamId)}/leads/${enc(leadId)}/notes/${enc(noteId)}`, "DELETE").then(() => undefined),

  /** Manual link (members): the meeting's leads after it. */
  linkMeetingLead: (teamId: string, meetingId: string, leadId: string) =>
    request<unknown>(`${team(teamId)}/meetings/${enc(meetingId)}/leads`, "POST", { lead_id: leadId }).then(
      async (d) => (await crmSchema()).parseLinkedLeads(d),
    ),

  unlinkMeetingLead: (teamId: string, meetingId: string, leadId: string) =>
    request<unknown>(`${team(teamId)}/meetings/${enc(meetingId)}/leads/${enc(leadId)}`, "DELETE").then(() => undefined),
};

export type Api = typeof api;
