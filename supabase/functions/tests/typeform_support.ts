// Typeform test support: a team with a Typeform integration and an enabled form (route id + secret known to the
// test), deliveries shaped as Typeform sends them (T12), signed as Typeform signs them.
import { encryptSecret, integrationAad } from "../_shared/crypto.ts";
import { newRoute } from "../_shared/typeform/route.ts";
import { typeformSignature } from "../_shared/typeform/signature.ts";
import { ADMIN, MEMBER, sql } from "./helpers.ts";

export const FORM_ID = "cT1cXk9a";
export const FIELDS = [
  { id: "Fe1mAiL0aaaa", ref: "email", title: "What's your email?", type: "email" },
  { id: "Fn4mE0bbbbbb", ref: "name", title: "What's your name?", type: "short_text" },
  { id: "FcOmP0cccccc", ref: "company", title: "Company", type: "short_text" },
  { id: "FhElP0dddddd", ref: "message", title: "How can we help?", type: "long_text" },
];
export const MAPPING = { email: "Fe1mAiL0aaaa", name: "Fn4mE0bbbbbb", company: "FcOmP0cccccc", notes: "FhElP0dddddd" };

export async function createTypeformTeam() {
  const teamId = crypto.randomUUID();
  await sql`insert into public.teams (id, name) values (${teamId}, ${"Typeform test " + teamId.slice(0, 8)})`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
  const [integration] = await sql<{ id: string }[]>`
    insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
      token_expires_at, connected_by, connected_at)
    values (${teamId}, 'typeform', 'connected', 'Sandy', '{offline,forms:read}',
      ${await encryptSecret("unused", integrationAad(teamId, "typeform", "access_token"))}, now() + interval '1 hour', ${ADMIN}, now())
    returning id`;
  return { teamId, integrationId: integration.id };
}

/** An enabled form whose route id and secret the test knows (as switching it on would have stored them). */
export async function enableForm(teamId: string, integrationId: string, opts: { enabled?: boolean } = {}) {
  const id = crypto.randomUUID();
  const route = await newRoute(teamId, id);
  await sql`
    insert into public.typeform_forms (id, team_id, integration_id, form_id, title, enabled, mapping, webhook_tag,
                                       route_id_hash, webhook_secret_encrypted)
    values (${id}, ${teamId}, ${integrationId}, ${FORM_ID}, 'Contact us', ${opts.enabled ?? true}, ${sql.json(MAPPING)},
            'crm-test', ${route.routeIdHash}, ${route.secretEncrypted})`;
  return { formRowId: id, routeId: route.routeId, secret: route.secret };
}

export function answers(values: { email?: string; name?: string; company?: string; message?: string }) {
  const out: Record<string, unknown>[] = [];
  const ref = (f: (typeof FIELDS)[number]) => ({ id: f.id, type: f.type, ref: f.ref });
  if (values.email !== undefined) out.push({ type: "email", email: values.email, field: ref(FIELDS[0]) });
  if (values.name !== undefined) out.push({ type: "text", text: values.name, field: ref(FIELDS[1]) });
  if (values.company !== undefined) out.push({ type: "text", text: values.company, field: ref(FIELDS[2]) });
  if (values.message !== undefined) out.push({ type: "text", text: values.message, field: ref(FIELDS[3]) });
  return out;
}

export function delivery(token: string, values: Parameters<typeof answers>[0], formId = FORM_ID): string {
  return JSON.stringify({
    event_id: `01EV${token.slice(0, 10).toUpperCase()}`,
    event_type: "form_response",
    form_response: {
      form_id: formId,
      token,
      landed_at: "2026-03-02T11:59:00Z",
      submitted_at: "2026-03-02T12:00:00Z",
      hidden: {},
      calculated: { score: 0 },
      definition: { id: formId, title: "Contact us", fields: FIELDS.map((f) => ({ ...f, properties: {} })) },
      answers: answers(values),
    },
  });
}

export async function signed(secret: string, body: string): Promise<Record<string, string>> {
  return { "content-type": "application/json", "typeform-signature": await typeformSignature(secret, body) };
}

/** What the tests use of dev/typeform-sandbox's TypeformSandbox. */
export interface TypeformSandboxLike {
  handler(req: Request): Promise<Response>;
  setPublicUrl(url: string): void;
  snapshot(): { webhooks: { form_id: string; tag: string; url: string; enabled: boolean; secret: string | null }[] };
  submit(input: { formId: string; values: Record<string, unknown>; noEmail?: boolean }): Promise<
    { response: { token: string }; deliveries: { tag: string; status: number | null; error: string | null }[] } | null
  >;
}

/**
 * The Typeform sandbox (dev/typeform-sandbox) served on a free port, its deliveries handed to `deliverTo` in-process
 * (the typeform-webhook handler), a team connected to it with a real sandbox token, TYPEFORM_API_BASE_URL set.
 */
export async function startTypeformSandbox(deliverTo: (req: Request) => Promise<Response>) {
  // by file URL at run time, as fathom_support.ts loads Fathom's: supabase/ never imports dev/ (dependency-cruiser)
  const { createTypeformSandbox } = await import(new URL("../../../dev/typeform-sandbox/typeform.ts", import.meta.url).href) as {
    createTypeformSandbox(options: { fetch: typeof fetch }): TypeformSandboxLike;
  };
  const typeform = createTypeformSandbox({ fetch: ((input: RequestInfo | URL, init?: RequestInit) => deliverTo(new Request(input, init))) as typeof fetch });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, typeform.handler);
  const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  typeform.setPublicUrl(base);
  Deno.env.set("TYPEFORM_API_BASE_URL", `${base}/typeform`);
  const redirect = "http://127.0.0.1:54399/functions/v1/typeform-oauth-callback";
  const consent = await typeform.handler(new Request(`${base}/typeform/oauth/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: "sandbox-typeform-client-id", redirect_uri: redirect, scope: "offline accounts:read forms:read webhooks:read webhooks:write responses:read", decision: "allow" }),
  }));
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const tokenRes = await typeform.handler(new Request(`${base}/typeform/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect, client_id: "sandbox-typeform-client-id", client_secret: "sandbox-typeform-client-secret" }),
  }));
  const tokens = await tokenRes.json();
  return { typeform, server, base, tokens };
}

/** A team connected to Typeform with these tokens (as the OAuth callback would have stored them). */
export async function connectTypeform(tokens: { access_token: string; refresh_token?: string }) {
  const teamId = crypto.randomUUID();
  await sql`insert into public.teams (id, name) values (${teamId}, ${"Typeform test " + teamId.slice(0, 8)})`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${ADMIN}, 'owner')`;
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${MEMBER}, 'member')`;
  const [row] = await sql<{ id: string }[]>`
    insert into public.team_integrations (team_id, provider, status, account_name, scopes, access_token_encrypted,
      refresh_token_encrypted, token_expires_at, connected_by, connected_at)
    values (${teamId}, 'typeform', 'connected', 'Sandy', '{offline}',
      ${await encryptSecret(tokens.access_token, integrationAad(teamId, "typeform", "access_token"))},
      ${tokens.refresh_token ? await encryptSecret(tokens.refresh_token, integrationAad(teamId, "typeform", "refresh_token")) : null},
      now() + interval '1 hour', ${ADMIN}, now())
    returning id`;
  return { teamId, integrationId: row.id };
}
