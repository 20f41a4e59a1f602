// Zoom's REST API as the CRM uses it (providers.md §3): GET /users/me/recordings (at most a month between `from`
// and `to`, `next_page_token` pages, `page_size` up to 300), GET /past_meetings/{uuid}/participants, and a
// recording file's download with the bearer token. Tokens come from the locked refresh (oauth/refresh.ts: a 401
// refreshes once); pacing reuses Fathom's rate window (fathom/pacer.ts): Zoom limits per account and sends no
// RateLimit-Remaining, so the window only learns from a 429 (it waits Retry-After, seconds or a date, else a
// default) and past the caller's deadline throws RateLimitedUntil for a resumable step to checkpoint. Pure I/O:
// knows nothing of storage. Errors: ZoomApiError (status, transient?), RateLimitedUntil, AppError (tokens).
import { z } from "zod";
import { AppError } from "../errors.ts";
import { pacerFor, RateLimitedUntil, type Clock, systemClock } from "../fathom/pacer.ts";
import { tokenProvider } from "../oauth/refresh.ts";
import { zoom } from "../oauth/providers/zoom.ts";
import { MAX_TRANSCRIPT_BYTES } from "./transcript.ts";
import { parseParticipants, parseRecording, type ZoomParticipant, type ZoomRecording } from "./wire.ts";

export { RateLimitedUntil };

/**
 * Zoom answered an error status, or did not answer. `status` the HTTP status, 0 when there was no answer; `code` the
 * kind, which the inbox stores after the name (inbox/queue.ts reasonOf: "ZoomApiError (timeout)") and
 * activity/sentences.ts words: `http_<status>`, `timeout` (no answer within timeoutMs) or `unreachable` (the
 * connection failed).
 */
export class ZoomApiError extends Error {
  override readonly name = "ZoomApiError";
  readonly code: string;
  constructor(readonly status: number, message: string, readonly transient = false, timedOut = false) {
    super(message);
    this.code = status !== 0 ? `http_${status}` : timedOut ? "timeout" : "unreachable";
  }
}

export interface ZoomTokens {
  token(): Promise<string>;
  refresh(stale: string): Promise<string>;
}

export interface ZoomClientOptions {
  baseUrl: string;
  tokens: ZoomTokens;
  /** the account's pacer key: every client of the account in this isolate shares the window */
  pacerKey: string;
  /** epoch ms: a rate-limit wait beyond it throws RateLimitedUntil */
  deadline?: number;
  /**
   * ms: a rate-limit wait longer than this throws RateLimitedUntil too, however far the deadline is: the import
   * pauses (paused_rate_limited, resume_after) where its panel says so, instead of sleeping unseen inside a step
   */
  rateWaitMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: Clock;
}

const PAGE_SIZE = 300;
/**
 * Zoom limits per account, shared by every app on it (providers.md §3: Pro 30/s Light, 20/s Medium; Business 80/60):
 * we space our calls 100 ms apart per account (10/s, half of Pro's Medium), and a 429 still waits what Zoom says.
 */
export const MIN_CALL_SPACING_MS = 100;
const nextCallAt = new Map<string, number>();

async function spaceCalls(key: string, clock: Clock, deadline?: number): Promise<void> {
  const now = clock.now();
  const at = Math.max(now, nextCallAt.get(key) ?? 0);
  if (deadline !== undefined && at > deadline) throw new RateLimitedUntil(at, "Zoom");
  nextCallAt.set(key, at + MIN_CALL_SPACING_MS);
  if (nextCallAt.size > 1000) nextCallAt.clear();
  if (at > now) await clock.sleep(at - now);
}
/** Participants pages read per meeting (300 each): a webinar of 3,000 is enough for lead matching. */
const MAX_PARTICIPANT_PAGES = 10;

/** Pages of the recordings list findRecording reads at most (PAGE_SIZE meetings each, around one start). */
const MAX_LOOKUP_PAGES = 3;

export interface RecordingsPage {
  meetings: ZoomRecording[];
  /** meetings that could not be read (no uuid), with the reason: skipped, the rest imported */
  skipped: { reason: string }[];
  nextPageToken: string | null;
}

const listSchema = z.looseObject({ meetings: z.array(z.unknown()).optional(), next_page_token: z.string().nullish() });
const participantsSchema = z.looseObject({ participants: z.array(z.unknown()).optional(), next_page_token: z.string().nullish() });

/**
 * Where a bearer token may be sent for a download: the API's own origin, the token endpoint's (zoom.us), or an https
 * host under zoom.us. A download_url is provider data: anything else would hand our token to a stranger.
 */
export function downloadAllowed(url: string, apiBaseUrl: string, tokenUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const origins = [apiBaseUrl, tokenUrl].map((x) => new URL(x).origin);
  if (origins.includes(u.origin)) return true;
  return u.protocol === "https:" && (u.hostname === "zoom.us" || u.hostname.endsWith(".zoom.us"));
}

export function createZoomClient(options: ZoomClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const window = pacerFor(options.pacerKey, { provider: "Zoom", clock, defaultWaitMs: 1_000 }).window("default");

  /** Until when a rate-limit wait may last here: the deadline, or sooner with rateWaitMs; undefined = no limit. */
  function rateDeadline(): number | undefined {
    if (options.rateWaitMs === undefined) return options.deadline;
    return Math.min(options.deadline ?? Infinity, clock.now() + options.rateWaitMs);
  }

  /** One GET with the token, paced; 401 refreshes once, 429 waits (or throws past the deadline), 5xx is transient. */
  async function get(url: string, label: string, accept: string): Promise<Response> {
    let token = await options.tokens.token();
    let refreshed = false;
    for (let limited = 0;;) {
      await window.acquire(rateDeadline());
      await spaceCalls(options.pacerKey, clock, options.deadline);
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { authorization: `Bearer ${token}`, accept },
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
          redirect: "follow",
        });
      } catch (err) {
        // AbortSignal.timeout rejects with a DOMException named TimeoutError: a slow Zoom, not an unreachable one
        const timedOut = (err as { name?: unknown } | null)?.name === "TimeoutError";
        throw new ZoomApiError(0, `${label}: Zoom ${timedOut ? "did not answer in time" : "could not be reached"}`, true, timedOut);
      }
      window.observe(response.headers, response.status);
      if (response.status === 429) {
        await response.body?.cancel();
        const until = clock.now() + window.retryDelayFor(response.headers);
        const limit = rateDeadline();
        if (++limited > 5 || (limit !== undefined && until > limit)) throw new RateLimitedUntil(until, "Zoom");
        continue;
      }
      if (response.status === 401 && !refreshed) {
        await response.body?.cancel();
        refreshed = true;
        token = await options.tokens.refresh(token);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ZoomApiError(response.status, `${label} answered ${response.status}`, response.status >= 500);
      }
      return response;
    }
  }

  async function getJson<T>(path: string, query: URLSearchParams, schema: z.ZodType<T>, label: string): Promise<T> {
    const response = await get(`${base}${path}?${query}`, label, "application/json");
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new ZoomApiError(response.status, `${label}: not the documented shape`);
    return parsed.data;
  }

  return {
    /** One page of the user's cloud recordings between two dates (YYYY-MM-DD, at most a month apart). */
    async listRecordings(params: { from: string; to: string; nextPageToken?: string | null; pageSize?: number }): Promise<RecordingsPage> {
      const query = new URLSearchParams({ from: params.from, to: params.to, page_size: String(params.pageSize ?? PAGE_SIZE) });
      if (params.nextPageToken) query.set("next_page_token", params.nextPageToken);
      const page = await getJson("/users/me/recordings", query, listSchema, "Zoom GET /users/me/recordings");
      const meetings: ZoomRecording[] = [];
      const skipped: { reason: string }[] = [];
      for (const item of page.meetings ?? []) {
        const parsed = parseRecording(item);
        if (parsed.ok) meetings.push(parsed.recording);
        else skipped.push({ reason: parsed.reason });
      }
      return { meetings, skipped, nextPageToken: page.next_page_token || null };
    },

    /**
     * One meeting's recording as Zoom lists it now (fresh download URLs), found in GET /users/me/recordings around
     * its start (the day before to the day after: Zoom's from/to are dates in the user's time zone), at most
     * MAX_LOOKUP_PAGES pages; null when it is not listed (trashed again, deleted, or further away). The list, not
     * GET /meetings/{uuid}/recordings: that needs a scope the app does not ask for (providers.md §3).
     */
    async findRecording(uuid: string, startTime: string): Promise<ZoomRecording | null> {
      const at = Date.parse(startTime);
      if (!Number.isFinite(at)) return null;
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      let nextPageToken: string | null = null;
      for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
        const listed: RecordingsPage = await this.listRecordings({ from: day(at - 86_400_000), to: day(at + 86_400_000), nextPageToken });
        const found = listed.meetings.find((m) => m.uuid === uuid);
        if (found) return found;
        nextPageToken = listed.nextPageToken;
        if (!nextPageToken) break;
      }
      return null;
    },

    /**
     * Whether the connection's grant still works: GET /users/me with the token (a 401 refreshes once, as every call).
     * Errors as every call: ZoomApiError (401 after the refresh: the grant is gone), AppError needs_reauth (the
     * refresh was refused), RateLimitedUntil.
     */
    async checkGrant(): Promise<void> {
      await getJson("/users/me", new URLSearchParams(), z.object({}).passthrough(), "Zoom GET /users/me");
    },

    /**
     * Who attended (name, e-mail), all pages up to a bound. A meeting Zoom has no participants for (a plan without
     * the report, a scope not granted: 400/404) gives an empty list: the meeting is imported without them.
     */
    async participants(uuid: string): Promise<ZoomParticipant[]> {
      // a UUID that starts with "/" or holds "//" must be double-encoded in a path (providers.md §3)
      const once = encodeURIComponent(uuid);
      const id = uuid.startsWith("/") || uuid.includes("//") ? encodeURIComponent(once) : once;
      const out: ZoomParticipant[] = [];
      let next: string | null = null;
      for (let page = 0; page < MAX_PARTICIPANT_PAGES; page++) {
        const query = new URLSearchParams({ page_size: String(PAGE_SIZE) });
        if (next) query.set("next_page_token", next);
        let body;
        try {
          body = await getJson(`/past_meetings/${id}/participants`, query, participantsSchema, "Zoom GET /past_meetings/{uuid}/participants");
        } catch (err) {
          if (err instanceof ZoomApiError && (err.status === 400 || err.status === 404) && page === 0) return [];
          throw err;
        }
        out.push(...parseParticipants(body.participants));
        next = body.next_page_token || null;
        if (!next) break;
      }
      return out;
    },

    /** A recording file's text (the WebVTT transcript), bounded; with the event's download_token when given. */
    async downloadText(url: string, downloadToken?: string | null): Promise<string> {
      if (!downloadAllowed(url, base, zoom.tokenUrl())) throw new ZoomApiError(0, "Zoom download URL outside Zoom: not fetched");
      const target = new URL(url);
      if (downloadToken) target.searchParams.set("download_token", downloadToken);
      const response = await get(target.href, "Zoom GET recording file", "text/vtt, text/plain, */*");
      const declared = Number(response.headers.get("content-length") ?? "0");
      if (declared > MAX_TRANSCRIPT_BYTES) {
        await response.body?.cancel();
        throw new ZoomApiError(413, "Zoom recording file too large");
      }
      const text = await response.text();
      return text.length > MAX_TRANSCRIPT_BYTES ? text.slice(0, MAX_TRANSCRIPT_BYTES) : text;
    },
  };
}

export type ZoomClient = ReturnType<typeof createZoomClient>;

/** A client for the integration's Zoom account (tokens from the locked refresh, the account's shared pacer). */
export function zoomClientFor(
  integrationId: string,
  opts: { deadline?: number; timeoutMs?: number; rateWaitMs?: number } = {},
): ZoomClient {
  if (!integrationId) throw new AppError("not_connected", "Zoom is not connected.");
  return createZoomClient({ baseUrl: zoom.apiBaseUrl(), tokens: tokenProvider(integrationId), pacerKey: `zoom:${integrationId}`, ...opts });
}
