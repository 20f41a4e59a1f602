// Token refresh against a slow token endpoint (the sandbox's {target: "token", mode: "slow"} switch): no database
// connection is held while Fathom answers, so other teams are served meanwhile; and a refresh that times out is an
// unknown outcome (Fathom may have rotated the single-use refresh token): tokens kept, no second call at once.
import assert from "node:assert/strict";
import { asUser } from "../_shared/db.ts";
import { AppError } from "../_shared/errors.ts";
import { getFreshAccessToken } from "../_shared/oauth/refresh.ts";
import { decryptSecret, integrationAad } from "../_shared/crypto.ts";
import { ADMIN, closeAll, sql, test, withEnv } from "./helpers.ts";
import { connectFathom, createTeam, dropTeam, eventually, sandboxTokens, startSandbox } from "./fathom_support.ts";

const TOKEN_PATH = "/external/v1/oauth2/token";

async function expiringConnection(base: string, expiresInSeconds = 60) {
  const team = await createTeam();
  const tokens = await sandboxTokens(base);
  const integrationId = await connectFathom(team.teamId, tokens, { expiresInSeconds });
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

test("refresh lease: while Fathom's token endpoint is slow, another team's requests are served before the refresh "
  + "ends (no connection is held across the call), and the four waiting callers share ONE token call", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const slow = await expiringConnection(fathom.base);
  const other = await createTeam();
  try {
    await withEnv({ OAUTH_HTTP_TIMEOUT_MS: "20000" }, async () => {
      fathom.sandbox.clearRequests();
      fathom.sandbox.setFailure({ target: "token", mode: "slow", delayMs: 4000, times: 1 });
      const finished: string[] = [];
      // four callers of the slow team: more than the pool's four connections would allow if each held one
      const refreshes = Promise.all([1, 2, 3, 4].map(() =>
        getFreshAccessToken(slow.integrationId).finally(() => finished.push("refresh"))
      ));
      // let them reach the token call (on the old code: the advisory lock, one pooled connection each); an
      // arrangement, not an assertion: the assertion below is about order only
      await new Promise((resolve) => setTimeout(resolve, 500));
      // another team's reads, several at once (a page of GET /leads and friends)
      const claims = { sub: ADMIN, role: "authenticated" };
      const reads = Promise.all([1, 2, 3, 4, 5, 6].map(() =>
        asUser(claims, (tx) => tx`select id from public.leads where team_id = ${other.teamId}`)
      )).finally(() => finished.push("other team"));
      const [tokens, leads] = await Promise.all([refreshes, reads]);
      assert.deepEqual(finished, ["other team", "refresh", "refresh", "refresh", "refresh"],
        "the other team was served before any refresh ended: it did not wait for Fathom");
      assert.equal(leads[0].length, 2);
      assert.equal(new Set(tokens).size, 1, "all four callers got the same token");
      assert.notEqual(tokens[0], slow.tokens.access_token);
      assert.equal(fathom.requests(TOKEN_PATH).length, 1, "one token call");
      const stored = await storedTokens(slow.teamId, slow.integrationId);
      assert.equal(stored.access, tokens[0]);
      assert.equal(stored.row.refresh_lease_token, null, "lease released");
    });
  } finally {
    await dropTeam(slow.teamId);
    await dropTeam(other.teamId);
    await fathom.close();
  }
});

test("refresh lease: a token call that times out is an unknown outcome: tokens kept, still connected, no second "
  + "call at once; the stored access token is used while it is valid", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const t = await expiringConnection(fathom.base, 120);
  try {
    await withEnv({ OAUTH_HTTP_TIMEOUT_MS: "300" }, async () => {
      const before = await storedTokens(t.teamId, t.integrationId);
      fathom.sandbox.clearRequests();
      // Fathom answers (and rotates the refresh token) after we stopped waiting
      fathom.sandbox.setFailure({ target: "token", mode: "slow", delayMs: 1500, times: 1 });
      const token = await getFreshAccessToken(t.integrationId);
      assert.equal(token, before.access, "the access token, still valid for two minutes, is used");
      await eventually(async () => fathom.requests(TOKEN_PATH).length === 1 || null); // Fathom finished it
      const after = await storedTokens(t.teamId, t.integrationId);
      assert.equal(after.row.status, "connected", "not needs_reauth");
      assert.deepEqual([after.access, after.refresh], [before.access, before.refresh], "tokens kept");
      assert.equal(after.row.last_error, "refresh_outcome_unknown");
      assert.ok(after.row.refresh_retry_after.getTime() > Date.now(), "a retry-after is recorded");
      assert.equal(after.row.refresh_lease_token, null);

      // during the pause: no token call, the valid access token again
      assert.equal(await getFreshAccessToken(t.integrationId), before.access);
      assert.equal(fathom.requests(TOKEN_PATH).length, 1, "the refresh token was not spent again at once");

      // once the access token has expired too, callers hear "unavailable", and the connection stays
      await sql`update public.team_integrations set token_expires_at = now() - interval '1 minute'
                 where id = ${t.integrationId}`;
      await assert.rejects(
        getFreshAccessToken(t.integrationId),
        (e) => e instanceof AppError && e.code === "provider_unavailable",
      );
      assert.equal(fathom.requests(TOKEN_PATH).length, 1);
      assert.equal((await storedTokens(t.teamId, t.integrationId)).row.status, "connected");
    });
  } finally {
    await dropTeam(t.teamId);
    await fathom.close();
  }
});

test("refresh lease: new tokens from a reconnect end the lease and the pause taken for the old ones", async () => {
  const team = await createTeam();
  try {
    const id = await connectFathom(team.teamId, { access_token: "a1", refresh_token: "r1" });
    await sql`update public.team_integrations set refresh_lease_token = gen_random_uuid(),
                refresh_lease_until = now() + interval '1 minute', refresh_retry_after = now() + interval '1 minute'
               where id = ${id}`;
    await sql`update public.team_integrations set last_error = null where id = ${id}`; // no new tokens: kept
    const [kept] = await sql`select refresh_lease_token, refresh_retry_after from public.team_integrations
                              where id = ${id}`;
    assert.ok(kept.refresh_lease_token && kept.refresh_retry_after);
    await sql`update public.team_integrations set refresh_token_encrypted = 'new ciphertext' where id = ${id}`;
    const [row] = await sql`select refresh_lease_token, refresh_lease_until, refresh_retry_after
                              from public.team_integrations where id = ${id}`;
    assert.deepEqual(row, { refresh_lease_token: null, refresh_lease_until: null, refresh_retry_after: null });
  } finally {
    await dropTeam(team.teamId);
  }
});

test("refresh lease: close pools", closeAll);
