// Webhooks are never left behind at Fathom (issue 7, item 12) and the webhook covers every trigger (item 8), against
// the Fathom sandbox through the real OAuth handlers and the real api route:
//   disconnect with a token Fathom rejects -> one locked refresh -> the DELETE is retried and succeeds (204);
//   reconnect to another Fathom account -> the old webhook is deleted with the OLD account's tokens first;
//   a webhook that still cannot be deleted -> the disconnect/reconnect goes through, with a visible warning
//   (200 { warning } / the row's `warning`) and a fathom.webhook.cleanup_failed event;
//   the webhook asks for all four triggers, and falls back to the basic two when Fathom refuses the Team ones.
import assert from "node:assert/strict";
import { handler as apiHandler } from "../api/handler.ts";
import { createFathomClient } from "../_shared/fathom/client.ts";
import { ensureWebhook } from "../_shared/fathom/webhook-registration.ts";
import { handler as callbackHandler } from "../fathom-oauth-callback/handler.ts";
import { handler as startHandler } from "../fathom-oauth-start/handler.ts";
import {
  ADMIN,
  callAs,
  closeAll,
  confirmLanding,
  jwtFor,
  REDIRECT_URI,
  request,
  sql,
  test,
  withEnv,
} from "./helpers.ts";
import {
  connectFathom,
  createTeam,
  dropTeam,
  type RunningSandbox,
  SANDY,
  sandboxTokens,
  startSandbox,
} from "./fathom_support.ts";

const CASEY = "casey@sandbox.fathom.test";
const ALL_FOUR = ["my_recordings", "shared_external_recordings", "my_shared_with_team_recordings", "shared_team_recordings"];
const NO_SYNC = { FATHOM_SYNC_ON_CONNECT: "false" }; // these tests are about the webhook, not the backfill

/** The real OAuth round trip as `userEmail`: start -> consent at the sandbox -> our callback (hooks included). */
async function oauthConnect(teamId: string, userEmail: string): Promise<void> {
  const started = await startHandler(request("/fathom-oauth-start", {
    method: "POST",
    token: await jwtFor(ADMIN),
    body: JSON.stringify({ teamId, redirectUri: REDIRECT_URI }),
  }));
  const { authUrl: authHref, confirmSecret } = await started.json();
  const authUrl = new URL(authHref);
  const consent = await fetch(authUrl.origin + authUrl.pathname, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...Object.fromEntries(authUrl.searchParams), user_email: userEmail, decision: "allow" }),
    redirect: "manual",
  });
  await consent.body?.cancel();
  const back = new URL(consent.headers.get("location")!);
  const landed = await callbackHandler(request(`/fathom-oauth-callback${back.search}`));
  await confirmLanding(landed, confirmSecret);
}

function webhooksAtFathom(fathom: RunningSandbox): { id: string; owner_email: string; triggered_for: string[] }[] {
  return fathom.sandbox.state().webhooks;
}

async function integrationRow(teamId: string) {
  const { status, body } = await callAs(apiHandler, ADMIN, "GET", `/api/teams/${teamId}/integrations`);
  assert.equal(status, 200);
  return body.integrations.find((i: { provider: string }) => i.provider === "fathom");
}

async function events(teamId: string, type: string) {
  return (await sql`select payload from public.integration_events where team_id = ${teamId} and type = ${type}
                     order by id`).map((e) => e.payload);
}

async function disconnectViaApi(teamId: string) {
  const res = await apiHandler(request(`/api/teams/${teamId}/integrations/fathom`, {
    method: "DELETE",
    token: await jwtFor(ADMIN),
  }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

test("disconnect: Fathom rejects the stored access token -> refresh, retry, the webhook is deleted; 204", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const team = await createTeam();
  try {
    await withEnv(NO_SYNC, () => oauthConnect(team.teamId, SANDY));
    assert.equal(webhooksAtFathom(fathom).length, 1);
    fathom.sandbox.expireAccessTokens(SANDY); // our row still believes the token is good for a while
    fathom.sandbox.clearRequests();

    const { status, body } = await disconnectViaApi(team.teamId);
    assert.equal(status, 204);
    assert.equal(body, null);
    assert.deepEqual(webhooksAtFathom(fathom), [], "the webhook is gone at Fathom");
    assert.deepEqual(fathom.requests().map((r) => `${r.method} ${r.path.replace(/webhooks\/.+/, "webhooks/{id}")} ${r.status}`), [
      "DELETE /external/v1/webhooks/{id} 401",
      "POST /external/v1/oauth2/token 200",
      "DELETE /external/v1/webhooks/{id} 204",
    ]);
    assert.equal((await sql`select 1 from public.team_integrations where team_id = ${team.teamId}`).length, 0);
    assert.deepEqual(await events(team.teamId, "fathom.webhook.cleanup_failed"), []);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("reconnect to another Fathom account: the old webhook is deleted with the old account's token first", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  fathom.sandbox.ensureUser(CASEY, "Casey Other", null);
  const team = await createTeam();
  try {
    await withEnv(NO_SYNC, () => oauthConnect(team.teamId, SANDY));
    const [sandys] = webhooksAtFathom(fathom);
    assert.equal(sandys.owner_email, SANDY);
    fathom.sandbox.expireAccessTokens(SANDY); // and the old token has to be refreshed on the way
    fathom.sandbox.clearRequests();

    await withEnv(NO_SYNC, () => oauthConnect(team.teamId, CASEY));
    const hooks = webhooksAtFathom(fathom);
    assert.deepEqual(hooks.map((w) => w.owner_email), [CASEY], "only the new account's webhook is left");
    const deletes = fathom.requests(/^\/external\/v1\/webhooks\//).map((r) => `${r.method} ${r.status}`);
    assert.deepEqual(deletes, ["DELETE 401", "DELETE 204"]);

    const row = await integrationRow(team.teamId);
    assert.equal(row.status, "connected");
    assert.equal(row.warning, null);
    assert.deepEqual(row.webhook_triggers, ALL_FOUR);
    const [stored] = await sql`select webhook_id from public.team_integrations where team_id = ${team.teamId}`;
    assert.equal(stored.webhook_id, hooks[0].id);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("disconnect: a webhook that cannot be deleted still disconnects, with 200 { warning } and an event", async () => {
  for (
    const [breakIt, reason] of [
      [(f: RunningSandbox) => f.sandbox.revokeGrants({ userEmail: SANDY }), "needs_reauth"], // access + refresh refused
      [(f: RunningSandbox) => f.sandbox.setFailure({ target: "api", mode: "status_503" }), "http_503"], // Fathom down
    ] as const
  ) {
    const fathom = startSandbox({ demoMeetings: false });
    const team = await createTeam();
    try {
      await withEnv(NO_SYNC, () => oauthConnect(team.teamId, SANDY));
      breakIt(fathom);

      const { status, body } = await disconnectViaApi(team.teamId);
      assert.equal(status, 200, reason);
      // Fathom has no revocation endpoint: nothing unconfirmed to report (revoked null)
      assert.deepEqual(Object.keys(body), ["warning", "revoked", "revocation_message"]);
      assert.deepEqual([body.revoked, body.revocation_message], [null, null]);
      assert.deepEqual(Object.keys(body.warning).sort(), ["code", "message"]);
      assert.equal(body.warning.code, "webhook_cleanup_failed");
      assert.match(body.warning.message, /webhook could not be removed/);
      assert.equal((await sql`select 1 from public.team_integrations where team_id = ${team.teamId}`).length, 0);
      assert.deepEqual(await events(team.teamId, "fathom.webhook.cleanup_failed"), [{ when: "disconnect", reason }]);
      assert.equal(webhooksAtFathom(fathom).length, 1, "it really is still there");
    } finally {
      await dropTeam(team.teamId);
      await fathom.close();
    }
  }
});

test("reconnect: the old account's webhook cannot be deleted -> connected, warning on the row, event; cleared later", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  fathom.sandbox.ensureUser(CASEY, "Casey Other", null);
  const team = await createTeam();
  try {
    await withEnv(NO_SYNC, () => oauthConnect(team.teamId, SANDY));
    fathom.sandbox.revokeGrants({ userEmail: SANDY }); // Sandy removed the app in Fathom: her tokens are dead

    await withEnv(NO_SYNC, () => oauthConnect(team.teamId, CASEY));
    const row = await integrationRow(team.teamId);
    assert.equal(row.status, "connected");
    assert.equal(row.last_error, null);
    assert.deepEqual(Object.keys(row.warning).sort(), ["at", "code", "message"]);
    assert.equal(row.warning.code, "webhook_cleanup_failed");
    assert.match(row.warning.message, /previously connected Fathom account/);
    assert.ok(!Number.isNaN(Date.parse(row.warning.at)));
    assert.deepEqual(await events(team.teamId, "fathom.webhook.cleanup_failed"), [{ when: "reconnect", reason: "needs_reauth" }]);
    assert.deepEqual(webhooksAtFathom(fathom).map((w) => w.owner_email).sort(), [CASEY, SANDY]);

    // Casey's new webhook is the registered one, and a clean reconnect clears the warning
    await withEnv(NO_SYNC, () => oauthConnect(team.teamId, CASEY));
    assert.equal((await integrationRow(team.teamId)).warning, null);
    assert.deepEqual(webhooksAtFathom(fathom).map((w) => w.owner_email).sort(), [CASEY, SANDY]);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("triggers: the webhook asks for all four; when Fathom refuses the Team ones, the basic two, recorded", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const team = await createTeam();
  try {
    const tokens = await sandboxTokens(fathom.base);
    const integrationId = await connectFathom(team.teamId, tokens);
    // A Fathom that refuses the Team-plan values with a 400 (non-Team plans; undocumented), otherwise the sandbox.
    const sent: string[][] = [];
    const client = createFathomClient({
      baseUrl: `${fathom.base}/external/v1`,
      accessToken: tokens.access_token,
      fetch: async (input, init) => {
        if (init?.method === "POST") {
          const triggers = JSON.parse(String(init.body)).triggered_for as string[];
          sent.push(triggers);
          if (triggers.some((t) => t.endsWith("team_recordings"))) {
            return Response.json({ error: "bad_request", message: "triggered_for" }, { status: 400 });
          }
        }
        return await fetch(input, init);
      },
    });
    assert.equal(await ensureWebhook(client, integrationId), true);
    assert.deepEqual(sent, [ALL_FOUR, ["my_recordings", "shared_external_recordings"]]);
    assert.deepEqual(webhooksAtFathom(fathom)[0].triggered_for, ["my_recordings", "shared_external_recordings"]);
    assert.deepEqual((await integrationRow(team.teamId)).webhook_triggers, ["my_recordings", "shared_external_recordings"]);
    assert.deepEqual(await events(team.teamId, "fathom.webhook.triggers_reduced"), [{
      requested: ALL_FOUR,
      active: ["my_recordings", "shared_external_recordings"],
      error: "http_400",
    }]);

    // Fathom accepting all four (the sandbox as is): all four are registered and shown
    await sql`update public.team_integrations set webhook_id = null where id = ${integrationId}`;
    const plain = createFathomClient({ baseUrl: `${fathom.base}/external/v1`, accessToken: tokens.access_token });
    assert.equal(await ensureWebhook(plain, integrationId), true);
    assert.deepEqual(webhooksAtFathom(fathom).at(-1)!.triggered_for, ALL_FOUR);
    assert.deepEqual((await integrationRow(team.teamId)).webhook_triggers, ALL_FOUR);
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
    await closeAll();
  }
});
