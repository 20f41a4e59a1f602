// Typeform's REST API, the calls the CRM makes (providers.md §4: T9, T10): GET /forms (every page), GET /forms/{id},
// PUT / DELETE /forms/{id}/webhooks/{tag}, GET /forms/{id}/responses. Paced to Typeform's 2 requests a second per
// account (T11) by one pacer per connected Typeform account in this isolate, a 429 waits its Retry-After (else one second) and is
// tried again (3 attempts), a 401 refreshes the token once. Errors: TypeformApiError (status + Typeform's code,
// never its description: provider text is not shown or logged), AppError from the token provider.
import { z } from "zod";
import { asService } from "../db.ts";
import { urlFromEnv } from "../env.ts";
import { AppError } from "../errors.ts";
import { tokenProvider } from "../oauth/refresh.ts";
import { cleanFields, cleanText, type CleanField } from "./wire.ts";

export const TYPEFORM_REQUEST_TIMEOUT_MS = 15_000;
/** 2 requests a second: one every 500 ms. */
export const TYPEFORM_MIN_INTERVAL_MS = 500;
const MAX_ATTEMPTS = 3;

export interface TokenProvider {
  token(): Promise<string>;
  refresh(stale: string): Promise<string>;
}

/** TypeformApiError's code when the request ran out of time (status 0): Typeform is slow, not unreachable. */
export const TIMEOUT = "TIMEOUT";

export class TypeformApiError extends Error {
  override readonly name = "TypeformApiError";
  constructor(readonly status: number, readonly code: string | null) {
    super(
      status === 0
        ? code === TIMEOUT ? "Typeform did not answer in time" : "Typeform could not be reached"
        : `Typeform answered ${status}${code ? ` ${code}` : ""}`,
    );
  }
}

/** Spaces calls `intervalMs` apart; `wait` is injectable for tests (no timed assertions). */
export function createPacer(intervalMs = TYPEFORM_MIN_INTERVAL_MS, wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))) {
  let next = 0;
  return {
    async turn(): Promise<void> {
      const now = Date.now();
      const at = Math.max(now, next);
      next = at + intervalMs;
      if (at > now) await wait(at - now);
    },
    /** after a 429: nobody calls before `ms` from now */
    pause(ms: number) {
      next = Math.max(next, Date.now() + ms);
    },
  };
}
export type Pacer = ReturnType<typeof createPacer>;

const pacers = new Map<string, Pacer>();
/** The pacer of `key` in this isolate ("account:<Typeform account>", else "integration:<id>"). */
export function pacerFor(key: string): Pacer {
  let p = pacers.get(key);
  if (!p) {
    if (pacers.size > 1000) pacers.clear();
    p = createPacer();
    pacers.set(key, p);
  }
  return p;
}

// Typeform counts 2 requests a second per ACCOUNT (T11), and two teams may connect the same account (attacker review
// 12, section 8): integrations are paced by the account they are connected to (team_integrations.account_id, GET
// /me's user_id, else its e-mail: oauth/providers/typeform.ts), read once a minute per integration in this isolate.
// An integration whose account is unknown, or whose lookup fails, is paced on its own (as before).
const accounts = new Map<string, { key: string; expires: number }>();
const ACCOUNT_TTL_MS = 60_000;

/** The pacing key of an integration: "account:<account id>", or "integration:<id>" when the account is unknown. */
export async function pacingKey(integrationId: string): Promise<string> {
  const cached = accounts.get(integrationId);
  if (cached && cached.expires > Date.now()) return cached.key;
  const [row] = await asService((tx) =>
    tx<{ account_id: string | null }[]>`
      select account_id from public.team_integrations where id = ${integrationId} and provider = 'typeform'`
  );
  const key = row?.account_id ? `account:${row.account_id}` : `integration:${integrationId}`;
  if (accounts.size > 1000) accounts.clear();
  accounts.set(integrationId, { key, expires: Date.now() + ACCOUNT_TTL_MS });
  return key;
}

/** The pacer shared by every integration connected to the same Typeform account, in this isolate. */
export async function accountPacerFor(integrationId: string): Promise<Pacer> {
  try {
    return pacerFor(await pacingKey(integrationId));
  } catch {
    return pacerFor(`integration:${integrationId}`);
  }
}

/** A Pacer that finds its account's pacer on its first turn (typeformClientFor stays synchronous). */
function lazyAccountPacer(integrationId: string): Pacer {
  let found: Promise<Pacer> | null = null;
  let current: Pacer | null = null;
  const resolve = () => (found ??= accountPacerFor(integrationId).then((p) => (current = p)));
  return {
    async turn() {
      await (await resolve()).turn();
    },
    pause(ms: number) {
      if (current) current.pause(ms);
      else void resolve().then((p) => p.pause(ms));
    },
  };
}

export interface TypeformForm {
  id: string;
  title: string;
}

export interface FormDefinition extends TypeformForm {
  fields: CleanField[];
}

export interface ResponsesPage {
  /** raw items, newest first (clean each with wire.ts cleanResponse) */
  items: unknown[];
  totalItems: number;
}

export interface TypeformClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  pacer: Pacer;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const FORM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A failed fetch or body read: out of time -> status 0, code TIMEOUT; refused, reset, DNS, a redirect -> status 0. */
function unreachable(err: unknown): TypeformApiError {
  return new TypeformApiError(0, err instanceof DOMException && err.name === "TimeoutError" ? TIMEOUT : null);
}
const formsPage = z.object({ page_count: z.number().int().min(0).max(10_000), items: z.array(z.unknown()) });
const responsesPage = z.object({ total_items: z.number().int().min(0).optional(), items: z.array(z.unknown()) });

export function createTypeformClient(options: TypeformClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    let token = await options.tokens.token();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      await options.pacer.turn();
      let res: Response;
      try {
        res = await doFetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? TYPEFORM_REQUEST_TIMEOUT_MS),
          redirect: "error",
        });
      } catch (err) {
        throw unreachable(err);
      }
      if (res.status === 401 && !refreshed) {
        await res.body?.cancel();
        token = await options.tokens.refresh(token);
        refreshed = true;
        continue;
      }
      if (res.status === 429 && attempt < MAX_ATTEMPTS) {
        await res.body?.cancel();
        const after = Number(res.headers.get("retry-after"));
        options.pacer.pause(Number.isFinite(after) && after > 0 ? Math.min(after, 60) * 1000 : 1000);
        continue;
      }
      if (res.status === 204) return null;
      // the time limit covers the body too: a body that stops coming is the same timeout as no answer
      const text = await res.text().catch((err) => {
        throw unreachable(err);
      });
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      if (!res.ok) {
        const code = typeof (json as { code?: unknown })?.code === "string" ? (json as { code: string }).code : null;
        throw new TypeformApiError(res.status, code && /^[A-Z_]{1,64}$/.test(code) ? code : null);
      }
      return json;
    }
  }

  const formPath = (id: string) => {
    if (!FORM_ID.test(id)) throw new AppError("form_not_found", "Form not found.");
    return `/forms/${encodeURIComponent(id)}`;
  };

  return {
    /** Every form of the account, newest first (pages of 200). Items without an id are skipped. */
    async listForms(): Promise<TypeformForm[]> {
      const out: TypeformForm[] = [];
      for (let page = 1; page <= 50; page++) {
        const parsed = formsPage.safeParse(await call("GET", `/forms?page=${page}&page_size=200`));
        if (!parsed.success) throw new TypeformApiError(502, "UNREADABLE_ANSWER");
        for (const item of parsed.data.items) {
          const id = (item as { id?: unknown })?.id;
          if (typeof id !== "string" || !FORM_ID.test(id)) continue;
          out.push({ id, title: cleanText((item as { title?: unknown }).title, 500) ?? "Untitled form" });
        }
        if (page >= parsed.data.page_count) break;
      }
      return out;
    },
    async getForm(id: string): Promise<FormDefinition> {
      const raw = await call("GET", formPath(id)) as { title?: unknown; fields?: unknown } | null;
      return { id, title: cleanText(raw?.title, 500) ?? "Untitled form", fields: cleanFields(raw?.fields) };
    },
    /** Creates or updates our webhook on the form, enabled, with its secret (T9: PUT is create-or-update). */
    async putWebhook(id: string, tag: string, input: { url: string; secret: string }): Promise<void> {
      await call("PUT", `${formPath(id)}/webhooks/${encodeURIComponent(tag)}`, { url: input.url, secret: input.secret, enabled: true, verify_ssl: true });
    },
    /** Deletes it; one already gone (404) is done. */
    async deleteWebhook(id: string, tag: string): Promise<void> {
      try {
        await call("DELETE", `${formPath(id)}/webhooks/${encodeURIComponent(tag)}`);
      } catch (err) {
        if (!(err instanceof TypeformApiError && err.status === 404)) throw err;
      }
    },
    /** One page of responses, newest first; `before` a response token (the last of the previous page). */
    async listResponses(id: string, opts: { before?: string | null; pageSize?: number } = {}): Promise<ResponsesPage> {
      const q = new URLSearchParams({ page_size: String(opts.pageSize ?? 100) });
      if (opts.before) q.set("before", opts.before);
      const parsed = responsesPage.safeParse(await call("GET", `${formPath(id)}/responses?${q}`));
      if (!parsed.success) throw new TypeformApiError(502, "UNREADABLE_ANSWER");
      return { items: parsed.data.items, totalItems: parsed.data.total_items ?? parsed.data.items.length };
    },
  };
}
export type TypeformClient = ReturnType<typeof createTypeformClient>;

export function typeformApiBaseUrl(): string {
  return urlFromEnv("TYPEFORM_API_BASE_URL", "https://api.typeform.com");
}

/** A client for the integration's account, its token refreshed under the lease (oauth/refresh.ts). */
export function typeformClientFor(integrationId: string): TypeformClient {
  return createTypeformClient({ baseUrl: typeformApiBaseUrl(), tokens: tokenProvider(integrationId), pacer: lazyAccountPacer(integrationId) });
}
