// The whole "Connect Fathom" round trip against the local Fathom sandbox (dev/fathom-sandbox), served over real
// HTTP: start -> consent -> callback -> token exchange -> identity lookup. The sandbox belongs to the dev wing and
// is loaded at run time only; when it is missing or broken these tests are skipped, not failed, since the
// fake-Fathom tests next to this file already cover every branch.
import assert from "node:assert/strict";
import { handler as callbackHandler } from "../fathom-oauth-callback/handler.ts";
import { handler as startHandler } from "../fathom-oauth-start/handler.ts";
import {
  ADMIN,
  CALLBACK_URL,
  closeAll,
  confirmLanding,
  jwtFor,
  REDIRECT_URI,
  request,
  resetDb,
  sql,
  TEAM,
  withEnv,
} from "./helpers.ts";

const SANDY = "sandy@sandbox.fathom.test";

// deno-lint-ignore no-explicit-any
let createSandbox: ((options?: any) => { handler(req: Request): Promise<Response> }) | null = null;
try {
  ({ createSandbox } = await import(new URL("../../../dev/fathom-sandbox/sandbox.ts", import.meta.url).href));
} catch (err) {
  console.warn(`fathom sandbox unavailable, skipping end-to-end tests: ${(err as Error).message}`);
}

async function roundTrip(decision: "allow" | "deny") {
  const sandbox = createSandbox!({});
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, (req) =>
    sandbox.handler(req));
  const base = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  try {
    return await withEnv({
      FATHOM_AUTHORIZE_URL: `${base}/external/v1/oauth2/authorize`,
      FATHOM_TOKEN_URL: `${base}/external/v1/oauth2/token`,
      FATHOM_API_BASE_URL: `${base}/external/v1`,
      FATHOM_CLIENT_ID: "sandbox-client-id",
      FATHOM_CLIENT_SECRET: "sandbox-client-secret",
      OAUTH_HTTP_TIMEOUT_MS: "5000",
      OAUTH_IDENTITY_TIMEOUT_MS: "5000",
    }, async () => {
      const started = await startHandler(request("/fathom-oauth-start", {
        method: "POST",
        token: await jwtFor(ADMIN),
        body: JSON.stringify({ teamId: TEAM, redirectUri: REDIRECT_URI }),
      }));
      const { authUrl: authHref, confirmSecret } = await started.json();
      const authUrl = new URL(authHref);
      assert.equal(authUrl.searchParams.get("redirect_uri"), CALLBACK_URL);
      // what the consent page's form submits when the user clicks Authorize / Deny
      const consent = await fetch(authUrl.origin + authUrl.pathname, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...Object.fromEntries(authUrl.searchParams), user_email: SANDY, decision }),
        redirect: "manual",
      });
      assert.equal(consent.status, 302);
      const back = new URL(consent.headers.get("location")!);
      assert.equal(`${back.origin}${back.pathname}`, CALLBACK_URL);
      const res = await callbackHandler(request(`/fathom-oauth-callback${back.search}`));
      assert.equal(res.status, 302);
      // the initiating app's confirmation (the connection is bound to the user who started it)
      return decision === "allow" ? await confirmLanding(res, confirmSecret) : new URL(res.headers.get("location")!);
    });
  } finally {
    controller.abort();
    await server.finished;
  }
}

Deno.test({
  name: "e2e (sandbox): an admin connects Fathom; the account is identified from GET /meetings",
  ignore: !createSandbox,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await resetDb({ dropOtherTeam: true });
    const landed = await roundTrip("allow");
    assert.equal(landed.searchParams.get("status"), "pending", landed.href);
    const [row] = await sql`select status, account_email, access_token_encrypted from public.team_integrations
                             where team_id = ${TEAM} and provider = 'fathom'`;
    assert.equal(row.status, "connected");
    assert.equal(row.account_email, SANDY);
    assert.match(row.access_token_encrypted, /^v1:/);
    await resetDb({ dropOtherTeam: true });
  },
});

Deno.test({
  name: "e2e (sandbox): the user denies consent -> access_denied, nothing stored",
  ignore: !createSandbox,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await resetDb({ dropOtherTeam: true });
    const landed = await roundTrip("deny");
    assert.deepEqual(Object.fromEntries(landed.searchParams), {
      status: "error",
      provider: "fathom",
      code: "access_denied",
    });
    const [row] = await sql`select status, access_token_encrypted from public.team_integrations
                             where team_id = ${TEAM} and provider = 'fathom'`;
    assert.deepEqual([row.status, row.access_token_encrypted], ["disconnected", null]);
    await resetDb({ dropOtherTeam: true });
    await closeAll();
  },
});
