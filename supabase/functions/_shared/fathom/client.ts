// A minimal client for Fathom's public API (fathom-api.md §2-§3). It is handed an access token, or a function that
// yields one, and a base URL: it knows nothing about how tokens are stored or refreshed. Pagination helpers,
// rate-limit handling and webhooks belong here too when the meetings work needs them.
import { z } from "zod";

export type AccessTokenSource = string | (() => Promise<string>);

export interface FathomClientOptions {
  baseUrl: string;
  accessToken: AccessTokenSource;
  /** per-request timeout; the caller decides (a quick identity probe vs. an import) */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class FathomApiError extends Error {
  override readonly name = "FathomApiError";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const fathomUser = z.looseObject({
  name: z.string().nullish(),
  email: z.string().nullish(),
  email_domain: z.string().nullish(),
  team: z.string().nullish(),
});

// Only the fields we rely on are checked; the rest passes through untouched for later use.
export const meetingSchema = z.looseObject({
  recording_id: z.number(),
  title: z.string().nullish(),
  created_at: z.string().nullish(),
  recorded_by: fathomUser.nullish(),
});
export type FathomMeeting = z.infer<typeof meetingSchema>;

export const teamSchema = z.looseObject({ name: z.string(), created_at: z.string().nullish() });
export type FathomTeam = z.infer<typeof teamSchema>;

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), limit: z.number().nullish(), next_cursor: z.string().nullish() });

export interface Page<T> {
  items: T[];
  limit?: number | null;
  next_cursor?: string | null;
}

export interface ListMeetingsParams {
  cursor?: string;
  created_after?: string;
  created_before?: string;
  recorded_by?: string[];
  teams?: string[];
  include_action_items?: boolean;
  include_crm_matches?: boolean;
}

export function createFathomClient(options: FathomClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function get<T>(path: string, query: URLSearchParams, schema: z.ZodType<T>): Promise<T> {
    const token = typeof options.accessToken === "function" ? await options.accessToken() : options.accessToken;
    const url = `${base}${path}${query.size ? `?${query}` : ""}`;
    const response = await doFetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FathomApiError(response.status, `Fathom GET ${path} answered ${response.status}`);
    }
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new FathomApiError(response.status, `Fathom GET ${path} returned an unexpected body`);
    return parsed.data;
  }

  return {
    /** GET /meetings: one page, newest first. Array filters are sent as repeated `name[]` parameters. */
    listMeetings(params: ListMeetingsParams = {}): Promise<Page<FathomMeeting>> {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const v of value) query.append(`${key}[]`, v);
        else query.set(key, String(value));
      }
      return get("/meetings", query, page(meetingSchema));
    },
    /** GET /teams: one page of the account's teams. */
    listTeams(params: { cursor?: string } = {}): Promise<Page<FathomTeam>> {
      const query = new URLSearchParams();
      if (params.cursor) query.set("cursor", params.cursor);
      return get("/teams", query, page(teamSchema));
    },
  };
}

export type FathomClient = ReturnType<typeof createFathomClient>;
