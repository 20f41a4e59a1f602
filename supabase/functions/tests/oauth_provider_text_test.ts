// A token endpoint's `error` is free text from the provider: only RFC 6749's codes are stored, shown or logged
// (a forged one ends up as "other"), for the code exchange and the refresh alike.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { oauthErrorCode } from "../_shared/oauth/token-response.ts";
import { getFreshAccessToken } from "../_shared/oauth/refresh.ts";
import { ADMIN, closeAll, jwtFor, request, sql, test, withEnv } from "./helpers.ts";
import { connectFathom, createTeam, dropTeam } from "./fathom_support.ts";

test("oauth: only RFC 6749 error codes pass; anything else is 'other'", async () => {
  assert.equal(oauthErrorCode("invalid_grant"), "invalid_grant");
  assert.equal(oauthErrorCode("invalid_grant\n[forged] access_token=SECRET"), "other");
  assert.equal(oauthErrorCode({ nested: true }), "other");
});

test("refresh: a token endpoint's free-text error never reaches last_error, the API or the log", async () => {
  const evil = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () =>
    Response.json({ error: "<img src=x onerror=alert(1)>\nrefresh_token=LEAKED" }, { status: 400 }));
  const team = await createTeam();
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  try {
    await withEnv({ FATHOM_TOKEN_URL: `http://127.0.0.1:${(evil.addr as Deno.NetAddr).port}/token` }, async () => {
      const id = await connectFathom(team.teamId, { access_token: "a", refresh_token: "r" }, { expiresInSeconds: 10 });
      await getFreshAccessToken(id).catch(() => {});
      const [row] = await sql`select last_error from public.team_integrations where id = ${id}`;
      assert.equal(row.last_error, "refresh_other");
    });
    const res = await api(request(`/api/teams/${team.teamId}/integrations`, { token: await jwtFor(ADMIN) }));
    assert.ok(!(await res.text()).includes("LEAKED"));
    assert.ok(!logged.some((line) => line.includes("LEAKED") || line.includes("\n")), logged.join(" | "));
  } finally {
    console.error = original;
    await evil.shutdown();
    await dropTeam(team.teamId);
    await closeAll();
  }
});
