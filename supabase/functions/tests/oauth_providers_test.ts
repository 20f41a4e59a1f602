// ONE table-driven start/callback/confirm/disconnect test over every provider entry, against a fake of their token,
// identity and revocation endpoints (oauth_support.ts). Every provider goes through its function folder's one-line
// bindings. What differs per provider is a row of EXPECT, read from providers.md, not from the entries.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { decryptSecret, integrationAad } from "../_shared/crypto.ts";
import { oauthCallbackHandler, oauthStartHandler } from "../_shared/oauth-handlers.ts";
import { getProvider } from "../_shared/oauth/registry.ts";
import type { ProviderId } from "../_shared/oauth/types.ts";
import {
  ADMIN,
  APP,
  closeAll,
  confirmLanding,
  jwtFor,
  MEMBER,
  OTHER_TEAM,
  OUTSIDER,
  request,
  resetDb,
  sql,
  SUPABASE_URL,
  TEAM,
  test,
} from "./helpers.ts";
import {
  authorizeUrl,
  clientId,
  clientSecret,
  PROVIDER_IDS,
  startFakeProviders,
  type TokenMode,
} from "./oauth_support.ts";

Deno.env.set("FATHOM_SYNC_ON_CONNECT", "false");
Deno.env.set("ZOOM_SYNC_ON_CONNECT", "false");
const fake = startFakeProviders();

type Handler = (req: Request) => Promise<Response>;

/** The function folder's handler when the provider has one (its binding is what is deployed), else null. */
async function binding(fn: string): Promise<Handler | null> {
  const url = new URL(`../${fn}/handler.ts`, import.meta.url);
  try {
    await Deno.stat(url);
  } catch {
    return null;
  }
  return (await import(url.href)).handler as Handler;
}

const HANDLERS = Object.fromEntries(
  await Promise.all(PROVIDER_IDS.map(async (id) => [id, {
    start: await binding(`${id}-oauth-start`) ?? oauthStartHandler(id),
    callback: await binding(`${id}-oauth-callback`) ?? oauthCallbackHandler(id),
  }])),
) as Record<ProviderId, { start: Handler; callback: Handler }>;

interface Expect {
  scope: string;
  pkce: boolean;
  basicAuth: boolean;
  /** posts to a channel: a destination is kept (and required) */
  chat: boolean;
  /**
   * the webhook URL we call is built from the webhook's id and token (Discord): the token response's own `url`
   * decides nothing, only malformed parts refuse the connection
   */
  webhookFromParts: boolean;
  /** expires_in is required */
  requireExpiresIn: boolean;
  /** Slack's HTTP 200 {"ok": false} is an error answer (else it is just a response without a token) */
  okFlag: boolean;
  /** token_type "bot" is a bearer token */
  botIsBearer: boolean;
  /** where the disconnect revokes: null = none */
  revoke: null | "rfc7009" | "bearer";
  account: string;
  /** the User-Agent every request to the provider must carry (Discord's reference.mdx "User Agent"); null: any */
  userAgent: RegExp | null;
}

const EXPECT: Record<ProviderId, Expect> = {
  fathom: {
    scope: "public_api",
    pkce: false,
    basicAuth: false,
    chat: false,
    webhookFromParts: false,
    requireExpiresIn: true,
    okFlag: false,
    botIsBearer: false,
    revoke: null,
    account: "Fathom account",
    userAgent: null,
  },
  slack: {
    scope: "incoming-webhook,chat:write",
    pkce: false,
    basicAuth: false,
    chat: true,
    webhookFromParts: false,
    requireExpiresIn: false,
    okFlag: true,
    botIsBearer: true,
    revoke: "bearer",
    account: "Acme Sales",
    userAgent: null,
  },
  discord: {
    scope: "identify webhook.incoming",
    pkce: true,
    basicAuth: false,
    chat: true,
    webhookFromParts: true,
    requireExpiresIn: true,
    okFlag: false,
    botIsBearer: false,
    revoke: "rfc7009",
    account: "Ada",
    userAgent: /^DiscordBot \(https?:\/\/[^ ,]+, [^)]+\)$/,
  },
  zoom: {
    scope: "user:read:user,cloud_recording:read:list_user_recordings,meeting:read:list_past_participants",
    pkce: true,
    basicAuth: true,
    chat: false,
    webhookFromParts: false,
    requireExpiresIn: false,
    okFlag: false,
    botIsBearer: false,
    revoke: "rfc7009",
    account: "Zed Oom",
    userAgent: null,
  },
  typeform: {
    scope: "offline accounts:read forms:read webhooks:read webhooks:write responses:read",
    pkce: false,
    basicAuth: false,
    chat: false,
    webhookFromParts: false,
    requireExpiresIn: false,
    okFlag: false,
    botIsBearer: false,
    revoke: null,
    account: "Tiff",
    userAgent: null,
  },
};

const callbackUrl = (id: ProviderId) => `${SUPABASE_URL}/functions/v1/${id}-oauth-callback`;
const page = (id: ProviderId) => `${APP}/${id}-callback.html`;

async function start(id: ProviderId, user = ADMIN, body: Record<string, unknown> = {}) {
  const res = await HANDLERS[id].start(request(`/${id}-oauth-start`, {
    method: "POST",
    origin: APP,
    token: await jwtFor(user),
    body: JSON.stringify({ teamId: TEAM, redirectUri: page(id), ...body }),
  }));
  return { status: res.status, body: await res.json() };
}

/** An admin's start: the state the provider echoes back and the confirm secret the app keeps. */
async function begin(id: ProviderId, user = ADMIN, teamId = TEAM) {
  const { status, body } = await start(id, user, { teamId });
  assert.equal(status, 200, JSON.stringify(body));
  return { state: new URL(body.authUrl).searchParams.get("state")!, confirmSecret: body.confirmSecret as string };
}

async function callback(id: ProviderId, params: Record<string, string>) {
  const res = await HANDLERS[id].callback(request(`/${id}-oauth-callback?${new URLSearchParams(params)}`));
  assert.equal(res.status, 302);
  return res;
}

function landing(res: Response) {
  const url = new URL(res.headers.get("location")!);
  return { page: `${url.origin}${url.pathname}`, query: Object.fromEntries(url.searchParams) };
}

const failure = (id: ProviderId, code: string) => ({ status: "error", provider: id, code });

async function row(id: ProviderId) {
  const [found] = await sql`select * from public.team_integrations where team_id = ${TEAM} and provider = ${id}`;
  return found;
}

async function connect(id: ProviderId) {
  const { state, confirmSecret } = await begin(id);
  await confirmLanding(await callback(id, { code: "the-code", state }), confirmSecret);
}

async function disconnect(id: ProviderId) {
  const res = await api(request(`/api/teams/${TEAM}/integrations/${id}`, { method: "DELETE", token: await jwtFor(ADMIN) }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function reset() {
  fake.reset();
  return resetDb();
}

for (const id of PROVIDER_IDS) {
  const expect = EXPECT[id];

  // --- start ------------------------------------------------------------------------------------------------------

  test(`${id}: start builds the authorize URL from the entry (scopes, separator, PKCE, callback)`, async () => {
    await reset();
    const { status, body } = await start(id);
    assert.equal(status, 200);
    const url = new URL(body.authUrl);
    assert.equal(`${url.origin}${url.pathname}`, authorizeUrl(id));
    assert.equal(url.searchParams.get("client_id"), clientId(id));
    assert.equal(url.searchParams.get("redirect_uri"), callbackUrl(id));
    assert.equal(url.searchParams.get("response_type"), "code");
    assert.equal(url.searchParams.get("scope"), expect.scope);
    assert.equal(url.searchParams.get("state")?.split(":")[0], TEAM);
    assert.equal(url.searchParams.has("code_challenge"), expect.pkce);
    assert.equal(url.searchParams.get("code_challenge_method"), expect.pkce ? "S256" : null);
    assert.match(body.confirmSecret, /^[A-Za-z0-9_-]{43}$/);
  });

  test(`${id}: start refuses a foreign redirectUri (400) and a non-admin (403)`, async () => {
    await reset();
    for (const redirectUri of ["https://evil.example/cb", "javascript:alert(1)", "not a url"]) {
      const { status, body } = await start(id, ADMIN, { redirectUri });
      assert.equal(status, 400, redirectUri);
      assert.ok(["invalid_redirect_uri", "invalid_request"].includes(body.error.code), redirectUri);
    }
    for (const user of [MEMBER, OUTSIDER]) {
      const { status, body } = await start(id, user);
      assert.equal(status, 403);
      assert.equal(body.error.code, "not_team_admin");
    }
    assert.equal((await row(id))?.oauth_state_hash ?? null, null, "nothing was started");
  });

  // --- state ------------------------------------------------------------------------------------------------------

  test(`${id}: callback with a missing, tampered, swapped-team, expired or replayed state is refused`, async () => {
    await reset();
    const { state } = await begin(id);
    const [team, token] = state.split(":");
    const tampered = `${team}:${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    const cases: Record<string, string>[] = [{ code: "c" }, { code: "c", state: tampered }, {
      code: "c",
      state: `${OTHER_TEAM}:${token}`,
    }];
    for (const params of cases) {
      const landed = landing(await callback(id, params));
      assert.equal(landed.page, page(id), "no stored redirect: the provider's own page");
      assert.deepEqual(landed.query, failure(id, "invalid_state"), JSON.stringify(params));
    }
    // the real state still works once, then is spent
    assert.equal(landing(await callback(id, { code: "c", state })).query.status, "pending");
    assert.deepEqual(landing(await callback(id, { code: "c", state })).query, failure(id, "invalid_state"));
    assert.equal(fake.tokenCalls.length, 1);

    const late = await begin(id);
    await sql`update public.team_integrations set oauth_state_expires_at = now() - interval '1 second'
               where team_id = ${TEAM} and provider = ${id}`;
    assert.deepEqual(landing(await callback(id, { code: "c", state: late.state })).query, failure(id, "state_expired"));
    assert.equal(fake.tokenCalls.length, 1, "no code exchanged for a refused state");
  });

  test(`${id}: another team's or another provider's state is refused and left untouched`, async () => {
    await reset();
    const other = PROVIDER_IDS.find((p) => p !== id)!;
    const theirs = await begin(other);
    assert.deepEqual(landing(await callback(id, { code: "c", state: theirs.state })).query, failure(id, "invalid_state"));
    const outsiders = await begin(id, OUTSIDER, OTHER_TEAM);
    const [, token] = outsiders.state.split(":");
    assert.deepEqual(landing(await callback(id, { code: "c", state: `${TEAM}:${token}` })).query, failure(id, "invalid_state"));
    assert.equal(fake.tokenCalls.length, 0);
    // both are still usable by their own callbacks
    assert.equal(landing(await callback(other, { code: "c", state: theirs.state })).query.status, "pending");
    assert.equal(landing(await callback(id, { code: "c", state: outsiders.state })).query.status, "pending");
  });

  test(`${id}: consent denied is access_denied, with no token call`, async () => {
    await reset();
    const { state } = await begin(id);
    const landed = landing(await callback(id, { error: "access_denied", error_description: "nope", state }));
    assert.deepEqual(landed.query, failure(id, "access_denied"));
    assert.equal(fake.tokenCalls.length, 0);
  });

  // --- token endpoint ----------------------------------------------------------------------------------------------

  const outcomes: [TokenMode, string][] = [
    ["status_400", "token_exchange_failed"],
    ["status_500", "provider_unavailable"],
    // Slack's errors hide in a 200; for the others such a body is just a response without a token
    ["ok_false", expect.okFlag ? "token_exchange_failed" : "invalid_token_response"],
    ["token_type_mac", "invalid_token_response"],
    ["token_type_bot", expect.botIsBearer ? "pending" : "invalid_token_response"],
    ["no_expires_in", expect.requireExpiresIn ? "invalid_token_response" : "pending"],
    ["no_webhook", expect.chat ? "invalid_token_response" : "pending"],
    ["insecure_webhook", expect.chat && !expect.webhookFromParts ? "invalid_token_response" : "pending"],
    ["malformed_webhook", expect.chat ? "invalid_token_response" : "pending"],
  ];
  for (const [mode, code] of outcomes) {
    test(`${id}: token endpoint ${mode} -> ${code}`, async () => {
      await reset();
      const logged: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
      try {
        const { state } = await begin(id);
        fake.tokenMode[id] = mode;
        const landed = landing(await callback(id, { code: "c", state }));
        assert.equal(landed.page, page(id));
        if (code === "pending") {
          assert.equal(landed.query.status, "pending");
        } else {
          assert.deepEqual(landed.query, failure(id, code));
          const stored = await row(id);
          assert.deepEqual([stored.status, stored.access_token_encrypted, stored.last_error], ["disconnected", null, code]);
          const [{ count }] = await sql`select count(*)::int from public.oauth_pending_connections where team_id = ${TEAM}`;
          assert.equal(count, 0, "nothing parked");
        }
      } finally {
        console.error = original;
      }
      const leaks = ["LEAKED", "hook-secret", "hook-token", "evil.example"];
      assert.ok(!logged.some((line) => leaks.some((leak) => line.includes(leak))), logged.join(" | "));
    });
  }

  // --- success ---------------------------------------------------------------------------------------------------------

  test(`${id}: success parks the tokens (and destination) encrypted, then the initiator's confirmation connects`, async () => {
    await reset();
    const { state, confirmSecret } = await begin(id);
    const res = await callback(id, { code: "the-code", state });
    const [call] = fake.tokenCalls;
    assert.equal(call.form.grant_type, "authorization_code");
    assert.equal(call.form.redirect_uri, callbackUrl(id));
    assert.equal("code_verifier" in call.form, expect.pkce);
    if (expect.basicAuth) {
      // RFC 6749 §2.3.1: each part form-urlencoded before base64
      const [user, password] = atob(call.authorization!.replace(/^Basic /, "")).split(":").map(decodeURIComponent);
      assert.deepEqual([user, password], [clientId(id), clientSecret(id)]);
      assert.ok(!("client_secret" in call.form));
    } else {
      assert.equal(call.authorization, null);
      assert.equal(call.form.client_secret, clientSecret(id));
    }

    const issued = fake.issued[id]!;
    const [pending] = await sql`select * from public.oauth_pending_connections where team_id = ${TEAM}`;
    assert.equal(pending.provider, id);
    assert.equal((await row(id)).status, "disconnected", "parked, not connected");
    await confirmLanding(res, confirmSecret);

    const stored = await row(id);
    assert.equal(stored.status, "connected");
    assert.equal(stored.account_name, expect.account);
    const access = await decryptSecret(stored.access_token_encrypted, integrationAad(TEAM, id, "access_token"));
    assert.equal(access, issued.accessToken);
    const dump = JSON.stringify(stored);
    assert.ok(!dump.includes(issued.accessToken));

    const [visible] = await sql`select * from public.team_integrations_public where team_id = ${TEAM} and provider = ${id}`;
    if (!expect.chat) {
      assert.equal(visible.destination, null);
      assert.equal(stored.destination_secret_encrypted, null);
      return;
    }
    const secret = JSON.parse(
      await decryptSecret(stored.destination_secret_encrypted, integrationAad(TEAM, id, "destination")),
    );
    assert.match(secret.url, new RegExp(`^${fake.base}/${id}/`));
    assert.ok(!dump.includes(secret.url), "the webhook URL is stored encrypted only");
    assert.ok(!JSON.stringify(visible).includes(secret.url.split("/").at(-1)), "the team sees no URL");
    if (id === "slack") {
      assert.deepEqual(visible.destination, { channel: "#sales", channelId: "C1", workspace: "Acme Sales", workspaceId: "T1" });
      assert.deepEqual(Object.keys(secret), ["url"]);
    } else {
      assert.deepEqual(visible.destination, { channel: null, channelId: "C9", workspace: "Acme", workspaceId: "G1" });
      assert.deepEqual([secret.webhookId, secret.webhookToken], [issued.webhookId, secret.url.split("/").at(-1)]);
    }
    // through the API too: the destination, never the URL
    const listed = await api(request(`/api/teams/${TEAM}/integrations`, { token: await jwtFor(MEMBER) }));
    const text = await listed.text();
    assert.ok(text.includes(`"destination"`) && !text.includes(secret.url));
  });

  // --- disconnect -----------------------------------------------------------------------------------------------------

  if (expect.userAgent) {
    const userAgent = expect.userAgent;
    test(`${id}: every call to the provider (token, identity, revocation, webhook) names the client as it asks`, async () => {
      await reset();
      await connect(id);
      await disconnect(id);
      const calls = fake.requests.filter((r) => r.provider === id);
      assert.ok(calls.some((r) => r.path === "/token") && calls.some((r) => r.method === "GET"), JSON.stringify(calls));
      assert.ok(calls.some((r) => r.path.endsWith("/revoke")), JSON.stringify(calls));
      for (const call of calls) assert.match(call.userAgent ?? "", userAgent, `${call.method} ${call.path}`);
    });
  }


  test(`${id}: disconnect revokes the grant where the provider can (${expect.revoke ?? "none"})`, async () => {
    await reset();
    await connect(id);
    const issued = fake.issued[id]!;
    const answer = await disconnect(id);
    assert.ok([200, 204].includes(answer.status), JSON.stringify(answer.body));
    // a confirmed revocation (or none to make) is not reported as a failed one
    assert.notEqual(answer.body?.revoked, false, JSON.stringify(answer.body));
    assert.equal(await row(id), undefined, "the connection is gone");
    if (!expect.revoke) {
      assert.equal(fake.revokeCalls.length, 0);
      return;
    }
    assert.equal(fake.revokeCalls.length, 1);
    const [call] = fake.revokeCalls;
    if (expect.revoke === "bearer") {
      assert.equal(call.authorization, `Bearer ${issued.accessToken}`);
    } else {
      assert.equal(call.form.token, issued.refreshToken, "the refresh token: it ends the whole authorization");
      assert.equal(call.form.token_type_hint, "refresh_token");
      if (expect.basicAuth) assert.ok(call.authorization?.startsWith("Basic "));
      else assert.equal(call.form.client_id, clientId(id));
    }
    if (id === "discord") {
      assert.equal(fake.webhookDeletes.length, 1, "the channel webhook is deleted too");
      assert.match(fake.webhookDeletes[0], new RegExp(`^/webhooks/${issued.webhookId}/hook-token-`));
    }
  });

  if (expect.revoke) {
    test(`${id}: a revocation endpoint that is down or hangs never holds up or fails the disconnect`, async () => {
      for (const mode of ["down", "hang"] as const) {
        await reset();
        await connect(id);
        fake.revokeMode = mode;
        const answer = await disconnect(id);
        assert.equal(answer.status, 200, `${mode}: ${JSON.stringify(answer.body)}`);
        assert.equal(await row(id), undefined, mode);
        assert.equal(fake.revokeCalls.length, 1, mode);
        // the team is told: the grant may still be alive at the provider, and where to remove the app
        assert.equal(answer.body.revoked, false, mode);
        const name = getProvider(id).displayName;
        assert.equal(
          answer.body.revocation_message,
          `Disconnected here, but ${name} didn't confirm the revocation: ${getProvider(id).removeApp}.`,
          mode,
        );
      }
    });
  }
}

// --- provider-specific lifecycle -----------------------------------------------------------------------------------------

test("discord: a reconnect deletes the OLD channel webhook (each authorization makes a new one)", async () => {
  await reset();
  await connect("discord");
  const first = fake.issued.discord!.webhookId;
  await connect("discord");
  const second = fake.issued.discord!.webhookId;
  assert.notEqual(first, second);
  assert.equal(fake.webhookDeletes.length, 1);
  assert.match(fake.webhookDeletes[0], new RegExp(`^/webhooks/${first}/`));
  assert.equal(fake.revokeCalls.length, 0, "a reconnect revokes nothing");
});

test("discord: a webhook that cannot be deleted is a warning; the disconnect completes", async () => {
  await reset();
  await connect("discord");
  fake.webhookMode = "down";
  const answer = await disconnect("discord");
  assert.equal(answer.status, 200);
  assert.equal(answer.body.warning.code, "webhook_cleanup_failed");
  assert.ok(!JSON.stringify(answer.body).includes("hook-token"));
  assert.equal(await row("discord"), undefined);
});

test("slack: a reconnect keeps the old token unrevoked (a reinstall may return the same bot token)", async () => {
  await reset();
  await connect("slack");
  await connect("slack");
  assert.equal(fake.revokeCalls.length, 0);
  assert.equal((await row("slack")).status, "connected");
});

test("cleanup: provider tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true });
  await fake.close();
  await closeAll();
});
