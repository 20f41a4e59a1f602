// Issue 11, attacker finding 1 through the API: an admin cannot add an endpoint on a non-public host (nothing
// written), a public one is accepted, and "Test" with send re-checks the host at send time (an endpoint saved
// while loopback was allowed is not posted to once it is not).
import assert from "node:assert/strict";
import { NOT_PUBLIC } from "../_shared/automations/address.ts";
import { ADMIN, closeAll, sql, TEAM, test, withEnv } from "./helpers.ts";
import { call, createRule, insertMeeting, reset, rulesPath } from "./automations_api_support.ts";
import { INTERNAL_URLS, LOOPBACK_URLS, PUBLIC_URLS } from "./automations_ssrf_support.ts";

const FLAG = "AUTOMATION_ALLOW_HTTP_WEBHOOKS";
const endpointsPath = `/api/teams/${TEAM}/automation-endpoints`;
const count = async () => Number((await sql`select count(*)::int as n from public.automation_endpoints where team_id = ${TEAM}`)[0].n);

test("endpoints: every non-public host -> 400 invalid_url, one sentence, no row; a public host -> 201", async () => {
  await reset();
  await withEnv({ [FLAG]: undefined }, async () => {
    for (const url of [...LOOPBACK_URLS, ...INTERNAL_URLS]) {
      const res = await call(ADMIN, "POST", endpointsPath, { name: "Probe", url });
      assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.error, { code: "invalid_url", message: NOT_PUBLIC }, url);
    }
    assert.equal(await count(), 0);
    for (const [i, url] of PUBLIC_URLS.entries()) {
      const res = await call(ADMIN, "POST", endpointsPath, { name: `Public ${i}`, url });
      assert.equal(res.status, 201, `${url}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(await count(), PUBLIC_URLS.length);
  });
});

test("Test with send: the host is checked again at send time; a refused one is not contacted and nothing echoes it", async () => {
  await reset();
  const meetingId = await insertMeeting();
  let hits = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    hits++;
    return new Response("ok");
  });
  try {
    const port = (server.addr as Deno.NetAddr).port;
    const endpointId = await withEnv({ [FLAG]: "1" }, async () => {
      const created = await call(ADMIN, "POST", endpointsPath, { name: "Local", url: `http://127.0.0.1:${port}/hooks/s3cr3t` });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.endpoint.id as string;
    });
    const ruleId = await createRule({
      name: "Probe", trigger: "meeting.linked_to_lead", actions: [{ type: "send_webhook", endpoint_id: endpointId }],
    });
    await withEnv({ [FLAG]: undefined }, async () => {
      const res = await call(ADMIN, "POST", `${rulesPath()}/${ruleId}/test`, { meetingId, send: true });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.result.actions[0].sent, { ok: false, error: NOT_PUBLIC });
      assert.ok(!JSON.stringify(res.body).match(/127\.0\.0\.1|s3cr3t/));
    });
    assert.equal(hits, 0);
  } finally {
    await server.shutdown();
  }
});

test("close", async () => {
  await closeAll();
});
