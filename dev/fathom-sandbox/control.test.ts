import assert from "node:assert/strict";
import { call, connect, form, type Json, newSandbox, postJson, REDIRECT_URI, SANDY, tokenRequest } from "./test-helpers.ts";
import type { WireInvitee } from "./wire-types.ts";

Deno.test("the request log records Fathom traffic with secrets, tokens and codes redacted", async () => {
  const { sandbox } = newSandbox();
  const tokens = await connect(sandbox);
  await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  await call(sandbox, "/external/v1/meetings?include_action_items=true", { headers: { authorization: `Bearer ${tokens.access_token}` } });

  const { requests } = await (await call(sandbox, "/_sandbox/requests")).json();
  assert.deepEqual(requests.map((r: Json) => `${r.method} ${r.path} ${r.status}`), [
    "POST /external/v1/oauth2/authorize 302",
    "POST /external/v1/oauth2/token 200",
    "POST /external/v1/oauth2/token 200",
    "GET /external/v1/meetings 200",
  ]);
  const serialized = JSON.stringify(requests);
  assert.ok(!serialized.includes(tokens.refresh_token) && !serialized.includes(tokens.access_token));
  assert.ok(!serialized.includes("sandbox-client-secret"));
  const exchange = requests[1];
  assert.equal(exchange.content_type, "application/x-www-form-urlencoded");
  assert.equal(exchange.body.code, "[redacted]");
  assert.equal(exchange.body.redirect_uri, REDIRECT_URI);
  assert.deepEqual(requests[3].query, { include_action_items: "true" });

  assert.equal((await call(sandbox, "/_sandbox/requests", { method: "DELETE" })).status, 204);
  assert.deepEqual((await (await call(sandbox, "/_sandbox/requests")).json()).requests, []);
});

Deno.test("POST /_sandbox/recordings creates a meeting the user can list", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const res = await call(sandbox, "/_sandbox/recordings", postJson({
    title: "Umbrella expansion call",
    invitees: [{ name: "Maria Garcia", email: "maria.garcia@umbrella.example" }],
  }));
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.ok(Number.isInteger(created.recording_id));
  assert.deepEqual(created.deliveries, []);
  const list = await (await call(sandbox, "/external/v1/meetings", { headers: { authorization: `Bearer ${access_token}` } })).json();
  assert.equal(list.items[0].recording_id, created.recording_id);
  assert.equal(list.items[0].title, "Umbrella expansion call");
  assert.deepEqual(list.items[0].calendar_invitees.map((i: WireInvitee) => i.email), [SANDY, "maria.garcia@umbrella.example"]);

  const bad = await call(sandbox, "/_sandbox/recordings", postJson({ invitees: [{ email: "not-an-email" }] }));
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});

Deno.test("state has counts and webhooks but no secrets; reset brings back the seed", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const hook = await (await call(sandbox, "/external/v1/webhooks", postJson(
    { destination_url: "https://crm.example/h", triggered_for: ["my_recordings"], include_summary: true },
    { authorization: `Bearer ${access_token}` },
  ))).json();
  await call(sandbox, "/_sandbox/meetings/generate", postJson({ count: 5 }));

  const state = await (await call(sandbox, "/_sandbox/state")).json();
  assert.equal(state.counts.meetings, 18);
  assert.equal(state.webhooks[0].id, hook.id);
  assert.ok(!JSON.stringify(state).includes(hook.secret));

  assert.equal((await call(sandbox, "/_sandbox/reset", { method: "POST" })).status, 200);
  const after = await (await call(sandbox, "/_sandbox/state")).json();
  assert.equal(after.counts.meetings, 13);
  assert.equal(after.counts.webhooks, 0);
  const old = await call(sandbox, "/external/v1/meetings", { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(old.status, 401, "tokens do not survive a reset");
  await old.body?.cancel();
});

Deno.test("the home page lists users and its button simulates a recording, then redirects back", async () => {
  const { sandbox } = newSandbox();
  const html = await (await call(sandbox, "/")).text();
  assert.match(html, /<title>Fathom sandbox<\/title>/);
  assert.match(html, /Sandy Sandbox/);
  assert.match(html, />Simulate a new recording<\/button>/);

  const res = await call(sandbox, "/_sandbox/ui/simulate-recording", form({ user_email: "casey@sandbox.fathom.test", title: "" }));
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/");
  const casey = sandbox.state().users.find((u) => u.email === "casey@sandbox.fathom.test")!;
  assert.equal(casey.meetings_recorded, 1);
});

Deno.test("the home page's form sets the attendees of a simulated recording; a bad entry is 400 naming it", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const html = await (await call(sandbox, "/")).text();
  assert.match(html, /<textarea name="attendees"/);
  const res = await call(sandbox, "/_sandbox/ui/simulate-recording", form({
    user_email: SANDY,
    title: "Pilot review",
    attendees: 'Jane Doe <Jane.Doe@acme.example>\nraj@globex.example, "Maria" <maria.garcia@umbrella.example>',
  }));
  assert.equal(res.status, 303);
  const list = await (await call(sandbox, "/external/v1/meetings", { headers: { authorization: `Bearer ${access_token}` } })).json();
  assert.equal(list.items[0].title, "Pilot review");
  assert.deepEqual(list.items[0].calendar_invitees.map((i: WireInvitee) => i.email), [
    SANDY,
    "jane.doe@acme.example",
    "raj@globex.example",
    "maria.garcia@umbrella.example",
  ]);
  assert.equal(list.items[0].calendar_invitees[1].name, "Jane Doe");
  assert.equal(list.items[0].calendar_invitees[3].name, "Maria");

  const bad = await call(sandbox, "/_sandbox/ui/simulate-recording", form({ user_email: SANDY, attendees: "Jane <nope>" }));
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).message, /Not an e-mail address: Jane <nope>/);
});

Deno.test("expiring tokens through the control API makes the next call 401", async () => {
  const { sandbox } = newSandbox();
  const { access_token } = await connect(sandbox);
  const res = await call(sandbox, "/_sandbox/tokens/expire", postJson({ user_email: SANDY }));
  assert.deepEqual(await res.json(), { expired: 1 });
  const denied = await call(sandbox, "/external/v1/teams", { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(denied.status, 401);
  await denied.body?.cancel();
});
