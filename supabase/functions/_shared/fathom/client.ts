// A client for Fathom's public API (fathom-api.md §2-§4). It is handed an access token, or a token provider (a
// function, or an object that can also force a refresh after a 401), and a base URL: it knows nothing about how
// tokens are stored or refreshed. It paces itself with the RateLimit-* headers (pacer.ts), retries transient
// failures (network, timeout, 5xx, a cut-off body) a few times with backoff, and validates every body with zod,
// tolerantly: unknown fields pass through.
import { z } from "zod";
import { budgetFor, createPacer, type Clock, type Pacer, RateLimitedUntil, systemClock } from "./pacer.ts";
import {
  type FathomMeeting,
  type FathomSummary,
  type FathomTranscriptItem,
  parseMeetings,
  type SkippedMeeting,
  summarySection,
  transcriptSection,
} from "./wire.ts";

export { RateLimitedUntil } from "./pacer.ts";

/** Refreshable token source: `refresh(stale)` returns a token other than `stale` (or throws). */
export interface TokenProvider {
  token(): Promise<string>;
  refresh(stale: string): Promise<string>;
}

export type AccessTokenSource = string | (() => Promise<string>) | TokenProvider;

export interface FathomClientOptions {
  baseUrl: string;
  accessToken: AccessTokenSource;
  /** per-request timeout; the caller decides (a quick identity probe vs. an import) */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** shared per account (pacerFor(integrationId)); a private one otherwise. Each call is paced against the
   * window of its budget (budgetFor(path): /recordings/* or the rest). */
  pacer?: Pacer;
  /** epoch ms: a rate-limit wait beyond it throws RateLimitedUntil instead of sleeping */
  deadline?: number;
  clock?: Clock;
  /** attempts for a transient failure (default 3) and the backoff base (default 500 ms, doubled each time) */
  attempts?: number;
  retryBaseMs?: number;
  /** 429s tolerated for one call before giving up (default 5) */
  max429?: number;
}

export class FathomApiError extends Error {
  override readonly name = "FathomApiError";
  /** status 0: no HTTP answer (network error, timeout) */
  constructor(readonly status: number, message: string, readonly transient = false) {
    super(message);
  }
}

// The meeting and its sections are cleaned by wire.ts: one bad value or one bad meeting never fails a call.
export {
  type FathomActionItem,
  type FathomInvitee,
  type FathomMeeting,
  type FathomSummary,
  type FathomTranscriptItem,
  meetingSchema,
  type SkippedMeeting,
} from "./wire.ts";

export const teamSchema = z.looseObject({ name: z.string(), created_at: z.string().nullish() });
export type FathomTeam = z.infer<typeof teamSchema>;

const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), limit: z.number().nullish(), next_cursor: z.string().nullish() });

const meetingsPage = z.looseObject({
  items: z.array(z.unknown()),
  limit: z.number().nullish().catch(null),
  next_cursor: z.string().nullish().catch(null),
});
const transcriptResponse = z.looseObject({ transcript: transcriptSection });
const summaryResponse = z.looseObject({ summary: summarySection });
const webhookSchema = z.looseObject({ id: z.string().min(1), secret: z.string().min(1), url: z.string().nullish() });
export type FathomWebhook = z.infer<typeof webhookSchema>;

export interface Page<T> {
  items: T[];
  limit?: number | null;
  next_cursor?: string | null;
}

/** A meetings page: the usable meetings, cleaned, and the items that could not be (with why). */
export interface MeetingsPage extends Page<FathomMeeting> {
  skipped: SkippedMeeting[];
}

export interface ListMeetingsParams {
  cursor?: string | null;
  created_after?: string;
  created_before?: string;
  recorded_by?: string[];
  teams?: string[];
  include_action_items?: boolean;
  include_crm_matches?: boolean;
}

export interface CreateWebhookInput {
  destination_url: string;
  triggered_for: ("my_recordings" | "shared_external_recordings" | "my_shared_with_team_recordings" |
    "shared_team_recordings")[];
  include_transcript: boolean;
  include_summary: boolean;
  include_action_items: boolean;
  include_crm_matches: boolean;
}

interface RequestSpec<T> {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  schema?: z.ZodType<T>;
  /** statuses answered with `null` instead of an error (e.g. 404 on DELETE) */
  okStatuses?: number[];
}

function tokenFunctions(source: AccessTokenSource): TokenProvider | { token(): Promise<string>; refresh?: undefined } {
  if (typeof source === "string") return { token: () => Promise.resolve(source) };
  if (typeof source === "function") return { token: source };
  return source;
}

export function createFathomClient(options: FathomClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const pacer = options.pacer ?? createPacer({ clock });
  const tokens = tokenFunctions(options.accessToken);
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const max429 = options.max429 ?? 5;

  async function request<T>(spec: RequestSpec<T>): Promise<{ status: number; data: T | null }> {
    const url = `${base}${spec.path}${spec.query?.size ? `?${spec.query}` : ""}`;
    // ids stay out of logs: recording ids are customer data, a webhook id names a live delivery endpoint
    const shape = spec.path.replace(/\/\d+(?=\/|$)/g, "/{id}").replace(/^\/webhooks\/.+/, "/webhooks/{id}");
    const label = `Fathom ${spec.method} ${shape}`;
    let token = await tokens.token();
    let refreshed = false;
    let failures = 0;
    let limited = 0;
    const window = pacer.window(budgetFor(spec.path));
    for (;;) {
      await window.acquire(options.deadline);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: spec.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(spec.body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
        });
      } catch {
        if (++failures >= attempts) throw new FathomApiError(0, `${label}: Fathom could not be reached`, true);
        await clock.sleep(retryBaseMs * 2 ** (failures - 1));
        continue;
      }
      window.observe(response.headers, response.status);

      if (response.status === 429) {
        await response.body?.cancel();
        if (++limited > max429) throw new FathomApiError(429, `${label} answered 429 repeatedly`, true);
        const until = clock.now() + window.retryDelayFor(response.headers);
        if (options.deadline !== undefined && until > options.deadline) throw new RateLimitedUntil(until, "Fathom");
        continue; // window.acquire waits for the reset
      }
      if (response.status === 401 && tokens.refresh && !refreshed) {
        await response.body?.cancel();
        refreshed = true;
        token = await tokens.refresh(token); // force one refresh, then retry once
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (++failures >= attempts) throw new FathomApiError(response.status, `${label} answered ${response.status}`, true);
        await clock.sleep(retryBaseMs * 2 ** (failures - 1));
        continue;
      }
      if (spec.okStatuses?.includes(response.status)) {
        await response.body?.cancel();
        return { status: response.status, data: null };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new FathomApiError(response.status, `${label} answered ${response.status}`);
      }
      if (!spec.schema || response.status === 204) {
        await response.body?.cancel();
        return { status: response.status, data: null };
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        // a cut-off or non-JSON 200 (a proxy in the way): worth another try
        if (++failures >= attempts) throw new FathomApiError(response.status, `${label} returned a broken body`, true);
        await clock.sleep(retryBaseMs * 2 ** (failures - 1));
        continue;
      }
      const parsed = spec.schema.safeParse(body);
      if (!parsed.success) throw new FathomApiError(response.status, `${label} returned an unexpected body`);
      return { status: response.status, data: parsed.data };
    }
  }

  async function data<T>(spec: RequestSpec<T>): Promise<T> {
    return (await request(spec)).data as T;
  }

  return {
    pacer,
    /**
     * GET /meetings: one page, newest first. Array filters are sent as repeated `name[]` parameters. Each item is
     * cleaned on its own (wire.ts); an item without a usable recording_id is returned in `skipped`, not thrown.
     */
    async listMeetings(params: ListMeetingsParams = {}): Promise<MeetingsPage> {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        if (value === undefined || value === null || value === "") continue;
        if (Array.isArray(value)) for (const v of value) query.append(`${key}[]`, v);
        else query.set(key, String(value));
      }
      const body = await data({ method: "GET", path: "/meetings", query, schema: meetingsPage });
      return { ...parseMeetings(body.items), limit: body.limit, next_cursor: body.next_cursor };
    },
    /** GET /teams: one page of the account's teams. */
    async listTeams(params: { cursor?: string } = {}): Promise<Page<FathomTeam>> {
      const query = new URLSearchParams();
      if (params.cursor) query.set("cursor", params.cursor);
      return await data({ method: "GET", path: "/teams", query, schema: page(teamSchema) });
    },
    /** GET /recordings/{id}/transcript: the transcript (cleaned), or null when Fathom has none (yet). */
    async getTranscript(recordingId: number): Promise<FathomTranscriptItem[] | null> {
      const body = await data({ method: "GET", path: `/recordings/${recordingId}/transcript`, schema: transcriptResponse });
      return body.transcript ?? null;
    },
    /** GET /recordings/{id}/summary: the default summary, or null when Fathom has none (yet). */
    async getSummary(recordingId: number): Promise<FathomSummary | null> {
      const body = await data({ method: "GET", path: `/recordings/${recordingId}/summary`, schema: summaryResponse });
      return body.summary ?? null;
    },
    /** POST /webhooks: the created webhook, with its signing secret (handle as a secret). */
    async createWebhook(input: CreateWebhookInput): Promise<FathomWebhook> {
      return await data({ method: "POST", path: "/webhooks", body: input, schema: webhookSchema });
    },
    /** DELETE /webhooks/{id}: true when deleted, false when Fathom no longer knows it (404). */
    async deleteWebhook(id: string): Promise<boolean> {
      const path = `/webhooks/${encodeURIComponent(id)}`;
      const { status } = await request({ method: "DELETE", path, okStatuses: [404] });
      return status !== 404;
    },
  };
}

export type FathomClient = ReturnType<typeof createFathomClient>;
