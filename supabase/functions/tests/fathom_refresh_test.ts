// Token refresh under the per-integration lock, against the sandbox's single-use refresh tokens; the 401 ->
// refresh -> retry path of the API client; and the provider hooks (webhook on connect, deleted on disconnect,
// backfill kicked off) through the real OAuth handlers.
import assert from "node:assert/strict";
import { decryptSecret, integrationAad } from "../_shared/crypto.ts";
import { AppError } from "../_shared/errors.ts";
import { fathomClientFor } from "../_shared/fathom/connection.ts";
import { hooksFor } from "../_shared/lifecycle.ts";
import { disconnect } from "../_shared/oauth/engine.ts";
import { getFreshAccessToken } from "../_shared/oauth/refresh.ts";
import { handler as callbackHandler } from "../fathom-oauth-callback/handler.ts";
import { handler as startHandler } from "../fathom-oauth-start/handler.ts";
import { ADMIN, closeAll, confirmLanding, jwtFor, REDIRECT_URI, request, sql, test } from "./helpers.ts";
import { connectFathom, createTeam, dropTeam, eventually, SANDY, sandboxTokens, startSandbox } from "./fathom_support.ts";

const TOKEN_PATH = "/external/v1/oauth2/token";

async function expiringConnection(base: string) {
  const team = await createTeam();
  const tokens = await sandboxTokens(base);
  // expires in one minute: inside the five-minute margin, so the next use refreshes
  const integrationId = await connectFathom(team.teamId, tokens, { expiresInSeconds: 60 });
  return { ...team, integrationId, tokens };
}

async function storedTokens(teamId: string, integrationId: string) {
  const [row] = await sql`select * from public.team_integrations where id = ${integrationId}`;
  return {
    row,
    access: await decryptSecret(row.access_token_encrypted, integrationAad(teamId, "fathom", "access_token")),
    refresh: await decryptSecret(row.refresh_token_encrypted, integrationAad(teamId, "fathom", "refresh_token")),
  };
}

test("refresh: two concurrent refreshes make ONE token call and both get the same new token", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const t = await expiringConnection(fathom.base);
  try {
    fathom.sandbox.clearRequests();
    const [a, b] = await Promise.all([getFreshAccessToken(t.integrationId), getFreshAccessToken(t.integrationId)]);
    assert.equal(a, b);
    assert.notEqual(a, t.tokens.access_token);
    assert.equal(fathom.requests(TOKEN_PATH).length, 1, "the second worker re-read the row under the lock");

    const stored = await storedTokens(t.teamId, t.integrationId);
    assert.equal(stored.access, a);
    assert.notEqual(stored.refresh, t.tokens.refresh_token, "the rotated refresh token is stored");
    assert.ok(stored.row.last_refreshed_at);
    assert.ok(stored.row.token_expires_at.getTime() > Date.now() + 50 * 60_000);
    assert.ok(!JSON.stringify(stored.row).includes(a), "ciphertext only");

    // fresh now: no further token call; the new token works against the API
    assert.equal(await getFreshAccessToken(t.integrationId), a);
    assert.equal(fathom.requests(TOKEN_PATH).length, 1);
    await fathomClientFor(t.integrationId).listMeetings();
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("refresh: invalid_grant -> needs_reauth, last_error, one event, tokens untouched, no retry", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const t = await expiringConnection(fathom.base);
  try {
    const before = await storedTokens(t.teamId, t.integrationId);
    fathom.sandbox.clearRequests();
    fathom.sandbox.setFailure({ target: "token", mode: "invalid_grant" });
    await assert.rejects(getFreshAccessToken(t.integrationId), (e) => e instanceof AppError && e.code === "needs_reauth");
    assert.equal(fathom.requests(TOKEN_PATH).length, 1, "not retried");
    const after = await storedTokens(t.teamId, t.integrationId);
    assert.deepEqual([after.row.status, after.row.last_error], ["needs_reauth", "needs_reauth"]);
    assert.deepEqual([after.access, after.refresh], [before.access, before.refresh]);
    const events = await sql`select type, payload from public.integration_events where team_id = ${t.teamId}`;
    assert.deepEqual(events.map((e) => [e.type, e.payload]), [
      ["fathom.integration.needs_reauth", { reason: "invalid_grant" }],
    ]);
    // from now on: refused without calling Fathom
    await assert.rejects(getFreshAccessToken(t.integrationId), (e) => e instanceof AppError && e.code === "needs_reauth");
    assert.equal(fathom.requests(TOKEN_PATH).length, 1);
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("refresh: transient failures are retried with backoff, then provider_unavailable with tokens untouched", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const t = await expiringConnection(fathom.base);
  try {
    fathom.sandbox.clearRequests();
    fathom.sandbox.setFailure({ target: "token", mode: "status_503", times: 2 });
    const token = await getFreshAccessToken(t.integrationId);
    assert.equal(fathom.requests(TOKEN_PATH).length, 3, "two 503s, then success");
    assert.equal((await storedTokens(t.teamId, t.integrationId)).access, token);

    const t2 = await expiringConnection(fathom.base);
    try {
      const before = await storedTokens(t2.teamId, t2.integrationId);
      fathom.sandbox.clearRequests();
      fathom.sandbox.setFailure({ target: "token", mode: "status_500" });
      await assert.rejects(
        getFreshAccessToken(t2.integrationId),
        (e) => e instanceof AppError && e.code === "provider_unavailable",
      );
      assert.equal(fathom.requests(TOKEN_PATH).length, 3);
      const after = await storedTokens(t2.teamId, t2.integrationId);
      assert.deepEqual([after.row.status, after.access, after.refresh], ["connected", before.access, before.refresh]);
      fathom.sandbox.clearFailures();
      await getFreshAccessToken(t2.integrationId); // the untouched refresh token still works
    } finally {
      await dropTeam(t2.teamId);
    }
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("refresh: a 401 mid-import forces one refresh and the call is retried once", async () => {
  const fathom = startSandbox({ demoMeetings: true });
  const team = await createTeam();
  try {
    const tokens = await sandboxTokens(fathom.base);
    const integrationId = await connectFathom(team.teamId, tokens, { expiresInSeconds: 3600 });
    fathom.sandbox.expireAccessTokens(SANDY); // our row still thinks the token is valid for an hour
    fathom.sandbox.clearRequests();
    const page = await fathomClientFor(integrationId).listMeetings();
    assert.ok(page.items.length > 0);
    assert.deepEqual(fathom.requests().map((r) => `${r.path} ${r.status}`), [
      "/external/v1/meetings 401",
      `${TOKEN_PATH} 200`,
      "/external/v1/meetings 200",
    ]);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("hooks: connecting registers the webhook and imports past meetings; disconnecting deletes the webhook", async () => {
  const fathom = startSandbox({ demoMeetings: true });
  const team = await createTeam();
  try {
    // the real OAuth round trip: start -> consent -> callback (token exchange, identity, afterConnect)
    const started = await startHandler(request("/fathom-oauth-start", {
      method: "POST",
      token: await jwtFor(ADMIN),
      body: JSON.stringify({ teamId: team.teamId, redirectUri: REDIRECT_URI }),
    }));
    const { authUrl: authHref, confirmSecret } = await started.json();
    const authUrl = new URL(authHref);
    const consent = await fetch(authUrl.origin + authUrl.pathname, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...Object.fromEntries(authUrl.searchParams), user_email: SANDY, decision: "allow" }),
      redirect: "manual",
    });
    const back = new URL(consent.headers.get("location")!);
    const landed = await callbackHandler(request(`/fathom-oauth-callback${back.search}`));
    await confirmLanding(landed, confirmSecret); // the initiator's app confirms: connect + hooks

    const [row] = await sql`select id, status, last_error, webhook_id, webhook_route_id from public.team_integrations
                             where team_id = ${team.teamId}`;
    assert.deepEqual([row.status, row.last_error], ["connected", null]);
    const [webhook] = fathom.sandbox.state().webhooks;
    assert.equal(webhook.id, row.webhook_id);
    assert.ok(webhook.url.endsWith(`/functions/v1/fathom-webhook/${row.webhook_route_id}`));
    const [created] = fathom.requests("/external/v1/webhooks");
    assert.deepEqual(created.body, {
      destination_url: webhook.url,
      triggered_for: ["my_recordings", "shared_external_recordings", "my_shared_with_team_recordings", "shared_team_recordings"],
      include_transcript: true,
      include_summary: true,
      include_action_items: true,
      include_crm_matches: false,
    });

    // the backfill was kicked off in the background and completes on its own
    const sync = await eventually(async () => {
      const [s] = await sql`select * from public.integration_syncs where integration_id = ${row.id}`;
      return s?.status === "completed" ? s : null;
    }, 20_000);
    assert.ok(sync.listed_count >= 13);
    const [jane] = await sql`select count(*)::int as n from public.meeting_leads where lead_id = ${team.janeId}`;
    assert.ok(jane.n >= 3, "Jane's demo meetings landed on her lead");

    await disconnect("fathom", { claims: { sub: ADMIN, role: "authenticated", aud: "authenticated" }, teamId: team.teamId }, hooksFor("fathom"));
    assert.deepEqual(fathom.sandbox.state().webhooks, []);
    const deleted = fathom.requests(/^\/external\/v1\/webhooks\//);
    assert.deepEqual(deleted.map((r) => [r.method, r.status]), [["DELETE", 204]]);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("hooks: a webhook that cannot be created does not fail the connection; the next sync retries it", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const team = await createTeam();
  try {
    const tokens = await sandboxTokens(fathom.base);
    const integrationId = await connectFathom(team.teamId, tokens);
    const { fathomHooks: provider } = await import("../_shared/fathom/lifecycle.ts");
    fathom.sandbox.setFailure({ target: "api", mode: "status_500" });
    Deno.env.set("FATHOM_SYNC_ON_CONNECT", "false");
    try {
      await provider.afterConnect!({
        teamId: team.teamId,
        integrationId,
        accessToken: () => Promise.resolve(tokens.access_token),
        destinationSecret: () => Promise.resolve(null),
      });
    } finally {
      Deno.env.delete("FATHOM_SYNC_ON_CONNECT");
    }
    const [row] = await sql`select status, last_error, webhook_id from public.team_integrations where id = ${integrationId}`;
    assert.deepEqual([row.status, row.last_error, row.webhook_id], ["connected", null, null]);
    const events = await sql`select type, payload from public.integration_events where team_id = ${team.teamId}`;
    assert.deepEqual(events.map((e) => [e.type, e.payload]), [["fathom.webhook.registration_failed", { error: "http_500" }]]);

    fathom.sandbox.clearFailures();
    const { driveSync, startSyncFor } = await import("../_shared/fathom/backfill.ts");
    await startSyncFor(integrationId);
    assert.equal((await driveSync(integrationId, { reschedule: false })).state, "done");
    const [after] = await sql`select webhook_id from public.team_integrations where id = ${integrationId}`;
    assert.equal(after.webhook_id, fathom.sandbox.state().webhooks[0].id);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
    await closeAll();
  }
});
