// fathom-oauth-callback (+ oauth-confirm) against a fake Fathom token endpoint and API: success, every state
// failure, every token endpoint failure, what the browser is (not) told, and the binding of the flow to the user
// who started it (a callback alone connects nothing; only the initiator's confirmation does).
import assert from "node:assert/strict";
import { handler as callbackHandler } from "../fathom-oauth-callback/handler.ts";
import { handler as startHandler } from "../fathom-oauth-start/handler.ts";
import { handler as confirmHandler } from "../oauth-confirm/handler.ts";
import { decryptSecret, encryptSecret, integrationAad, randomToken, sha256Hex } from "../_shared/crypto.ts";
import {
  ADMIN,
  APP,
  CALLBACK_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  closeAll,
  errorOf,
  jwtFor,
  MEMBER,
  OTHER_APP,
  OTHER_TEAM,
  OUTSIDER,
  REDIRECT_URI,
  request,
  resetDb,
  sql,
  startFakeFathom,
  TEAM,
  test,
} from "./helpers.ts";

// These tests are about the callback; "Import past meetings" on connect has its own tests. Left on, its drive from
// one test still writes when the next test's resetDb deletes the integration, and PostgreSQL may pick the reset as
// the deadlock's victim (seen once in a full run on PostgreSQL 15).
Deno.env.set("FATHOM_SYNC_ON_CONNECT", "false");
const fathom = startFakeFathom();
const DEFAULT_PAGE = `${APP}/fathom-callback.html`;

/** the confirm secret each start handed out, by the state Fathom echoes back (what the initiating app keeps) */
const confirmSecrets = new Map<string, string>();

/** Runs fathom-oauth-start as `user` and returns the state Fathom would echo back. */
async function beginFlow(opts: { user?: string; teamId?: string; redirectUri?: string } = {}): Promise<string> {
  const res = await startHandler(request("/fathom-oauth-start", {
    method: "POST",
    token: await jwtFor(opts.user ?? ADMIN),
    body: JSON.stringify({ teamId: opts.teamId ?? TEAM, redirectUri: opts.redirectUri ?? REDIRECT_URI }),
  }));
  assert.equal(res.status, 200);
  const { authUrl, confirmSecret } = await res.json();
  const state = new URL(authUrl).searchParams.get("state")!;
  confirmSecrets.set(state, confirmSecret);
  return state;
}

async function callback(params: Record<string, string>): Promise<Response> {
  return await callbackHandler(request(`/fathom-oauth-callback?${new URLSearchParams(params)}`));
}

/**
 * The redirect target split into its page, its query and the one-time pending id of its fragment, asserting the
 * headers every callback answer carries.
 */
function landing(res: Response): { page: string; query: Record<string, string>; pending: string | null } {
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  assert.equal(res.headers.get("cache-control"), "no-store");
  const url = new URL(res.headers.get("location")!);
  const pending = new URLSearchParams(url.hash.slice(1)).get("pending");
  return { page: `${url.origin}${url.pathname}`, query: Object.fromEntries(url.searchParams), pending };
}

/** oauth-confirm as `user` (null: no session) with these values; the answer parsed. */
async function confirm(user: string | null, body: unknown) {
  const res = await confirmHandler(request("/oauth-confirm", {
    method: "POST",
    origin: APP,
    token: user ? await jwtFor(user) : undefined,
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** What the initiator's app does with a pending landing: confirm it with its own session and secret. */
async function confirmAsInitiator(landed: { pending: string | null }, state: string, user = ADMIN) {
  assert.ok(landed.pending, "the landing carries a pending id");
  const answer = await confirm(user, { pendingId: landed.pending, confirmSecret: confirmSecrets.get(state) });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, { status: "connected", provider: "fathom", teamId: TEAM });
}

/** The whole happy path: callback, then the initiator's confirmation. Returns the landing. */
async function connectFlow(params: { code: string; state: string }) {
  const landed = landing(await callback(params));
  assert.deepEqual(landed.query, success);
  await confirmAsInitiator(landed, params.state);
  return landed;
}

const success = { status: "pending", provider: "fathom" };
const failure = (code: string) => ({ status: "error", provider: "fathom", code });

async function fathomRow() {
  const [row] = await sql`select * from public.team_integrations where team_id = ${TEAM} and provider = 'fathom'`;
  return row;
}

async function seedConnection() {
  await sql`
    insert into public.team_integrations (team_id, provider, status, account_id, account_name, account_email, scopes,
      access_token_encrypted, refresh_token_encrypted, token_expires_at, connected_by, connected_at)
    values (${TEAM}, 'fathom', 'connected', 'old@acme.com', 'Old', 'old@acme.com', '{public_api}',
      ${await encryptSecret("old-access", integrationAad(TEAM, "fathom", "access_token"))},
      ${await encryptSecret("old-refresh", integrationAad(TEAM, "fathom", "refresh_token"))},
      now() + interval '1 hour', ${ADMIN}, now() - interval '1 day')`;
  return await fathomRow();
}

const CONNECTION_COLUMNS = [
  "status",
  "account_id",
  "account_name",
  "account_email",
  "scopes",
  "access_token_encrypted",
  "refresh_token_encrypted",
  "token_expires_at",
  "connected_by",
  "connected_at",
] as const;

function connectionOf(row: Record<string, unknown>) {
  return Object.fromEntries(CONNECTION_COLUMNS.map((c) => [c, row[c]]));
}

function reset() {
  fathom.tokenMode = "ok";
  fathom.meetingsMode = "ok";
  fathom.teamsMode = "ok";
  fathom.tokenRequests.length = 0;
  fathom.apiRequests.length = 0;
  fathom.issued.length = 0;
  return resetDb();
}

// --- success ------------------------------------------------------------------------------------------------------

test("callback: success stores the connection with encrypted tokens and lands on the stored redirectUri", async () => {
  await reset();
  const state = await beginFlow({ redirectUri: `${OTHER_APP}/fathom-callback.html?popup=1` });
  const res = await callback({ code: "the-code", state });
  const landed = landing(res);
  assert.equal(landed.page, `${OTHER_APP}/fathom-callback.html`);
  assert.deepEqual(landed.query, { popup: "1", ...success });
  await confirmAsInitiator(landed, state);

  const row = await fathomRow();
  const [issued] = fathom.issued;
  assert.equal(row.status, "connected");
  assert.equal(row.account_id, "alice@acme.com", "the most frequent recorder on the first page of meetings");
  assert.equal(row.account_email, "alice@acme.com");
  assert.equal(row.account_name, "Alice Johnson");
  assert.deepEqual(row.scopes, ["public_api"]);
  assert.equal(row.connected_by, ADMIN);
  assert.ok(Math.abs(row.connected_at.getTime() - Date.now()) < 60_000);
  assert.ok(Math.abs(row.token_expires_at.getTime() - (Date.now() + 86_400_000)) < 60_000);
  assert.equal(row.last_error, null);
  assert.equal(row.oauth_state_hash, null, "the state is consumed");

  // ciphertext at rest, never the plaintext; decrypts back only with its own row/purpose binding
  for (const [column, plain, purpose] of [
    ["access_token_encrypted", issued.accessToken, "access_token"],
    ["refresh_token_encrypted", issued.refreshToken, "refresh_token"],
  ] as const) {
    assert.ok(!row[column].includes(plain));
    assert.match(row[column], /^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    assert.equal(await decryptSecret(row[column], integrationAad(TEAM, "fathom", purpose)), plain);
  }
  await assert.rejects(decryptSecret(row.access_token_encrypted, integrationAad(TEAM, "fathom", "refresh_token")));
  await assert.rejects(decryptSecret(row.access_token_encrypted, integrationAad(OTHER_TEAM, "fathom", "access_token")));
  const dump = JSON.stringify(row);
  assert.ok(!dump.includes(issued.accessToken) && !dump.includes(issued.refreshToken));

  // the identity lookup used the new token against the documented API
  assert.deepEqual(fathom.apiRequests[0], { path: "/meetings", authorization: `Bearer ${issued.accessToken}` });
});

test("callback: the token request is exactly the five documented form fields, credentials in the body", async () => {
  await reset();
  const state = await beginFlow();
  landing(await callback({ code: "code-123", state }));
  assert.equal(fathom.tokenRequests.length, 1);
  const [sent] = fathom.tokenRequests;
  assert.match(sent.contentType ?? "", /^application\/x-www-form-urlencoded/);
  assert.equal(sent.authorization, null, "client_secret_post: no Basic header");
  const form = new URLSearchParams(sent.body);
  assert.deepEqual([...form.keys()].sort(), ["client_id", "client_secret", "code", "grant_type", "redirect_uri"]);
  assert.equal(form.get("grant_type"), "authorization_code");
  assert.equal(form.get("code"), "code-123");
  assert.equal(form.get("client_id"), CLIENT_ID);
  assert.equal(form.get("client_secret"), CLIENT_SECRET);
  assert.equal(form.get("redirect_uri"), CALLBACK_URL, "identical to the authorize request's redirect_uri");
});

test("callback: a token response without token_type is accepted (Fathom's SDK marks it optional)", async () => {
  await reset();
  fathom.tokenMode = "no_token_type";
  await connectFlow({ code: "c", state: await beginFlow() });
  assert.equal((await fathomRow()).status, "connected");
});

test("callback: a failing identity lookup never fails the connection", async () => {
  await reset();
  fathom.meetingsMode = "empty"; // no meetings: the Fathom team name is the label
  await connectFlow({ code: "c", state: await beginFlow() });
  let row = await fathomRow();
  assert.deepEqual([row.status, row.account_name, row.account_email], ["connected", "Marketing", null]);

  await reset();
  fathom.meetingsMode = "error";
  fathom.teamsMode = "error";
  await connectFlow({ code: "c", state: await beginFlow() });
  row = await fathomRow();
  assert.deepEqual([row.status, row.account_name, row.account_id], ["connected", "Fathom account", null]);

  await reset();
  fathom.meetingsMode = "slow"; // slower than OAUTH_IDENTITY_TIMEOUT_MS
  const started = Date.now();
  await connectFlow({ code: "c", state: await beginFlow() });
  assert.ok(Date.now() - started < 1100, "the lookup gave up on its own timeout");
  assert.equal((await fathomRow()).account_name, "Fathom account");
});

// --- state ----------------------------------------------------------------------------------------------------------

test("callback: a replayed state is invalid_state and does not reach the token endpoint again", async () => {
  await reset();
  const state = await beginFlow();
  await connectFlow({ code: "c", state });
  const connected = connectionOf(await fathomRow());
  const replay = landing(await callback({ code: "c2", state }));
  assert.equal(replay.page, DEFAULT_PAGE);
  assert.deepEqual(replay.query, failure("invalid_state"));
  assert.equal(fathom.tokenRequests.length, 1);
  assert.deepEqual(connectionOf(await fathomRow()), connected);
});

test("callback: two concurrent callbacks with one state: exactly one reaches the token endpoint", async () => {
  await reset();
  const state = await beginFlow();
  const answers = await Promise.all([callback({ code: "a", state }), callback({ code: "b", state })]);
  const statuses = answers.map((res) => landing(res).query.status).sort();
  assert.deepEqual(statuses, ["error", "pending"]);
  assert.equal(fathom.tokenRequests.length, 1);
});

test("callback: an expired state is consumed and reported as state_expired on the app's page", async () => {
  await reset();
  const state = await beginFlow();
  await sql`update public.team_integrations set oauth_state_expires_at = now() - interval '1 second'
             where team_id = ${TEAM}`;
  const expired = landing(await callback({ code: "c", state }));
  assert.equal(expired.page, DEFAULT_PAGE);
  assert.deepEqual(expired.query, failure("state_expired"));
  assert.equal(fathom.tokenRequests.length, 0);
  assert.deepEqual(landing(await callback({ code: "c", state })).query, failure("invalid_state"));
  const row = await fathomRow();
  assert.deepEqual([row.status, row.last_error], ["disconnected", "state_expired"]);
});

test("callback: a state whose team id was swapped matches nothing (and the real one stays usable)", async () => {
  await reset();
  const state = await beginFlow();
  const token = state.split(":")[1];
  await beginFlow({ user: "33333333-3333-4333-8333-333333333333", teamId: OTHER_TEAM }); // a pending flow there too
  for (const teamId of [OTHER_TEAM, crypto.randomUUID()]) {
    const swapped = landing(await callback({ code: "c", state: `${teamId}:${token}` }));
    assert.equal(swapped.page, DEFAULT_PAGE);
    assert.deepEqual(swapped.query, failure("invalid_state"));
  }
  assert.equal(fathom.tokenRequests.length, 0);
  await connectFlow({ code: "c", state });
});

test("callback: another provider's state is refused by the Fathom callback and left untouched", async () => {
  await reset();
  const token = randomToken();
  const hash = await sha256Hex(token);
  await sql`insert into public.team_integrations (team_id, provider, oauth_state_hash, oauth_state_expires_at,
              oauth_state_user_id, oauth_redirect_uri)
            values (${TEAM}, 'discord', ${hash}, now() + interval '10 minutes', ${ADMIN}, ${REDIRECT_URI})`;
  assert.deepEqual(landing(await callback({ code: "c", state: `${TEAM}:${token}` })).query, failure("invalid_state"));
  const [discord] = await sql`select oauth_state_hash from public.team_integrations where provider = 'discord'`;
  assert.equal(discord.oauth_state_hash, hash);
  assert.equal(fathom.tokenRequests.length, 0);
});

test("callback: a user demoted between start and callback cannot connect (not_team_admin)", async () => {
  await reset();
  const state = await beginFlow();
  // another owner first: the team's last owner cannot be demoted (migration 20261202000100); resetDb restores both
  await sql`update public.team_members set role = 'owner' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  await sql`update public.team_members set role = 'member' where team_id = ${TEAM} and user_id = ${ADMIN}`;
  const { page, query } = landing(await callback({ code: "c", state }));
  assert.equal(page, REDIRECT_URI.split("?")[0]);
  assert.deepEqual(query, failure("not_team_admin"));
  assert.equal(fathom.tokenRequests.length, 0, "no code is exchanged for a non-admin");
  const row = await fathomRow();
  assert.deepEqual([row.status, row.access_token_encrypted, row.last_error], [
    "disconnected",
    null,
    "not_team_admin",
  ]);
});

test("callback: consent denied (error=access_denied) consumes the state and reports access_denied", async () => {
  await reset();
  const state = await beginFlow();
  const denied = landing(await callback({ error: "access_denied", error_description: "The user said no", state }));
  assert.deepEqual(denied.query, failure("access_denied"));
  assert.equal(fathom.tokenRequests.length, 0);
  assert.deepEqual(landing(await callback({ code: "c", state })).query, failure("invalid_state"));
});

test("callback: missing, malformed or unknown states land on the default page with invalid_state", async () => {
  await reset();
  const cases: Record<string, string>[] = [
      { code: "c" },
      { code: "c", state: "" },
      { code: "c", state: "no-colon" },
      { code: "c", state: `${TEAM}:short` },
      { code: "c", state: `${TEAM}:${randomToken()}` },
      { error: "access_denied" },
  ];
  for (const params of cases) {
    const { page, query } = landing(await callback(params));
    assert.equal(page, DEFAULT_PAGE, JSON.stringify(params));
    assert.deepEqual(query, failure("invalid_state"), JSON.stringify(params));
  }
});

// --- binding to the initiator (RFC 9700 §4.7.1) -------------------------------------------------------------------------

async function pendingRows() {
  return await sql`select * from public.oauth_pending_connections where team_id = ${TEAM}`;
}

test("binding: the callback alone connects nothing: tokens wait encrypted in a pending row, the team is unchanged", async () => {
  await reset();
  const state = await beginFlow();
  const landed = landing(await callback({ code: "c", state }));
  assert.deepEqual(landed.query, success);
  assert.match(landed.pending ?? "", /^[A-Za-z0-9_-]{43}$/);

  const row = await fathomRow();
  assert.deepEqual([row.status, row.access_token_encrypted, row.connected_at], ["disconnected", null, null]);
  const [pending] = await pendingRows();
  const [issued] = fathom.issued;
  assert.equal(pending.user_id, ADMIN);
  assert.equal(pending.pending_hash, await sha256Hex(landed.pending!));
  assert.equal(pending.confirm_hash, await sha256Hex(confirmSecrets.get(state)!));
  assert.equal(
    await decryptSecret(pending.access_token_encrypted, integrationAad(TEAM, "fathom", "access_token")),
    issued.accessToken,
  );
  const dump = JSON.stringify(pending);
  for (const secret of [landed.pending!, confirmSecrets.get(state)!, issued.accessToken, issued.refreshToken]) {
    assert.ok(!dump.includes(secret), "no secret is stored in the clear");
  }
});

test("binding: a flow forwarded to another browser connects nothing, whatever values it was given", async () => {
  await reset();
  // The initiator (an admin of the team) starts through the API and forwards everything the start returned.
  const started = await startHandler(request("/fathom-oauth-start", {
    method: "POST",
    token: await jwtFor(ADMIN),
    body: JSON.stringify({ teamId: TEAM, redirectUri: REDIRECT_URI }),
  }));
  const { authUrl, confirmSecret } = await started.json();
  const state = new URL(authUrl).searchParams.get("state")!;
  // The second browser approves at Fathom and lands on the app's callback page with the pending id.
  const landed = landing(await callback({ code: "c", state }));
  const forwarded = { pendingId: landed.pending, confirmSecret };

  // signed out, or signed in as anyone else (a member, an outsider): refused, nothing connected
  const signedOut = await confirm(null, forwarded);
  assert.equal(signedOut.status, 401);
  for (const other of [MEMBER, OUTSIDER]) {
    const answer = await confirm(other, forwarded);
    assert.equal(answer.status, 400, other);
    assert.equal(answer.body.error.code, "invalid_state", other);
  }
  // the initiator without the pending id the other browser received cannot finish it either
  const guessed = await confirm(ADMIN, { pendingId: randomToken(), confirmSecret });
  assert.equal(guessed.body.error.code, "invalid_state");
  // nor with the pending id but without the start's secret
  const noSecret = await confirm(ADMIN, { pendingId: landed.pending, confirmSecret: randomToken() });
  assert.equal(noSecret.body.error.code, "invalid_state");

  const row = await fathomRow();
  assert.deepEqual([row.status, row.access_token_encrypted, row.connected_by], ["disconnected", null, null]);
  assert.equal((await pendingRows()).length, 1, "still waiting for its initiator, until it expires");
});

test("binding: the initiator's confirmation connects once; a second one is invalid_state", async () => {
  await reset();
  const state = await beginFlow();
  const landed = landing(await callback({ code: "c", state }));
  await confirmAsInitiator(landed, state);
  assert.equal((await fathomRow()).status, "connected");
  assert.equal((await pendingRows()).length, 0, "consumed");
  const again = await confirm(ADMIN, { pendingId: landed.pending, confirmSecret: confirmSecrets.get(state) });
  assert.equal(again.status, 400);
  assert.equal(again.body.error.code, "invalid_state");
});

test("binding: an expired pending connection is state_expired, consumed, and connects nothing", async () => {
  await reset();
  const state = await beginFlow();
  const landed = landing(await callback({ code: "c", state }));
  await sql`update public.oauth_pending_connections set expires_at = now() - interval '1 second' where team_id = ${TEAM}`;
  const late = await confirm(ADMIN, { pendingId: landed.pending, confirmSecret: confirmSecrets.get(state) });
  assert.equal(late.status, 400);
  assert.equal(late.body.error.code, "state_expired");
  assert.equal((await fathomRow()).status, "disconnected");
  assert.equal((await pendingRows()).length, 0);
});

test("binding: an initiator demoted before confirming is not_team_admin; the connection is unchanged", async () => {
  await reset();
  const before = connectionOf(await seedConnection());
  const state = await beginFlow();
  const landed = landing(await callback({ code: "c", state }));
  // another owner first: the team's last owner cannot be demoted (migration 20261202000100); resetDb restores both
  await sql`update public.team_members set role = 'owner' where team_id = ${TEAM} and user_id = ${MEMBER}`;
  await sql`update public.team_members set role = 'member' where team_id = ${TEAM} and user_id = ${ADMIN}`;
  const answer = await confirm(ADMIN, { pendingId: landed.pending, confirmSecret: confirmSecrets.get(state) });
  assert.equal(answer.status, 403);
  assert.equal(answer.body.error.code, "not_team_admin");
  assert.deepEqual(connectionOf(await fathomRow()), before);
});

test("binding: a newer callback replaces the older pending connection; expired ones are swept", async () => {
  await reset();
  const first = await beginFlow();
  const firstLanded = landing(await callback({ code: "a", state: first }));
  const second = await beginFlow();
  const secondLanded = landing(await callback({ code: "b", state: second }));
  assert.equal((await pendingRows()).length, 1);
  const stale = await confirm(ADMIN, { pendingId: firstLanded.pending, confirmSecret: confirmSecrets.get(first) });
  assert.equal(stale.body.error.code, "invalid_state");
  await confirmAsInitiator(secondLanded, second);
});

test("binding: oauth-confirm refuses a bad body (400 invalid_request) and other methods (405)", async () => {
  for (const body of ["not json", {}, { pendingId: "short", confirmSecret: randomToken() }, { pendingId: randomToken() }]) {
    const answer = await confirm(ADMIN, body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.equal(answer.body.error.code, "invalid_request");
  }
  const get = await confirmHandler(request("/oauth-confirm", { token: await jwtFor(ADMIN) }));
  assert.equal(get.status, 405);
  assert.equal((await errorOf(get)).code, "method_not_allowed");
});

// --- token endpoint failures -------------------------------------------------------------------------------------------

const tokenFailures = [
  ["invalid_grant", "token_exchange_failed"],
  ["server_error", "provider_unavailable"],
  ["slow", "provider_unavailable"],
  ["malformed", "invalid_token_response"],
  ["no_access_token", "invalid_token_response"],
  ["zero_expires", "invalid_token_response"],
] as const;

for (const [mode, code] of tokenFailures) {
  test(`callback: token endpoint ${mode} -> ${code}, and the previous connection is intact`, async () => {
    await reset();
    const before = connectionOf(await seedConnection());
    const state = await beginFlow();
    fathom.tokenMode = mode;
    const { page, query } = landing(await callback({ code: "c", state }));
    assert.equal(page, REDIRECT_URI);
    assert.deepEqual(query, failure(code));
    const row = await fathomRow();
    assert.deepEqual(connectionOf(row), before);
    assert.equal(row.last_error, code);
    assert.equal(
      await decryptSecret(row.access_token_encrypted, integrationAad(TEAM, "fathom", "access_token")),
      "old-access",
    );
  });
}

test("callback: a provider outage with no previous connection leaves the team disconnected, not half-connected", async () => {
  await reset();
  const state = await beginFlow();
  fathom.tokenMode = "server_error";
  landing(await callback({ code: "c", state }));
  const row = await fathomRow();
  assert.deepEqual([row.status, row.access_token_encrypted, row.refresh_token_encrypted], ["disconnected", null, null]);
});

// --- what reaches the browser ---------------------------------------------------------------------------------------------

test("callback: nothing from the query is echoed: the Location carries only our own codes", async () => {
  await reset();
  const evil = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`;
  const cases: Record<string, string>[] = [
    { code: "c", state: evil },
    { code: "c", state: `${TEAM}:${evil}` },
    { error: evil, error_description: evil, state: await beginFlow() },
    { error: "access_denied", error_description: evil, error_uri: "https://evil.example", state: await beginFlow() },
  ];
  for (const params of cases) {
    const res = await callback(params);
    const location = res.headers.get("location")!;
    const { query } = landing(res);
    assert.deepEqual(Object.keys(query).sort(), ["code", "provider", "status"]);
    assert.match(query.code, /^[a-z_]+$/);
    for (const needle of ["script", "img", "alert", "evil", "%3C", "<"]) {
      assert.ok(!location.includes(needle), `${needle} in ${location}`);
    }
  }
});

test("callback: only GET is accepted", async () => {
  const res = await callbackHandler(request("/fathom-oauth-callback", { method: "POST", body: "{}" }));
  assert.equal(res.status, 405);
  await res.body?.cancel();
});

test("cleanup: callback tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true });
  await fathom.close();
  await closeAll();
  Deno.env.delete("FATHOM_SYNC_ON_CONNECT"); // every test file runs in this one process: later files import on connect
});
