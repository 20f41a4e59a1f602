import assert from "node:assert/strict";
import { Webhook } from "./deps.ts";
import { createSandbox, type Sandbox, type SandboxOptions } from "./sandbox.ts";
import { SNAPSHOT_VERSION } from "./snapshot.ts";
import { openPersistentSandbox } from "./state-file.ts";
import {
  BASE,
  bearer,
  call,
  CLIENT_ID,
  CLIENT_SECRET,
  connect,
  getJson,
  type Json,
  postJson,
  REDIRECT_URI,
  SANDY,
  testClock,
  tokenRequest,
} from "./test-helpers.ts";

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A webhook receiver on a random port, standing in for the CRM. */
async function withReceiver(run: (url: string, received: Received[]) => Promise<void>) {
  const received: Received[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    received.push({ headers: Object.fromEntries(req.headers), body: await req.text() });
    return new Response(null, { status: 204 });
  });
  try {
    await run(`http://127.0.0.1:${server.addr.port}/hooks/fathom`, received);
  } finally {
    await server.shutdown();
  }
}

async function withStateDir(run: (dir: string, file: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "fathom-sandbox-state-" });
  try {
    await run(dir, `${dir}/fathom-sandbox.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function open(file: string, options: Omit<SandboxOptions, "snapshot" | "onChange"> = {}) {
  const warnings: string[] = [];
  const persistent = await openPersistentSandbox(file, { publicUrl: BASE, ...options }, { warn: (m) => warnings.push(m) });
  return { ...persistent, warnings };
}

async function json(res: Response): Promise<Json> {
  return await res.json();
}

const fileMode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;
const recordingIds = (sandbox: Sandbox) => sandbox.snapshot().meetings.map((m) => m.recordingId).sort();

Deno.test("a state file carries tokens, webhooks, API keys, meetings and deliveries over to a new sandbox", async () => {
  await withStateDir(async (dir, file) => {
    await withReceiver(async (hookUrl, received) => {
      const clock = testClock(Date.now()); // webhook signatures carry a timestamp that verify() checks
      const first = await open(file, { now: clock.now });
      assert.equal(first.loaded.kind, "missing");
      const a = first.sandbox;

      const tokens = await connect(a);
      // A refresh before the restart: the rotated-out refresh token must stay used afterwards.
      const refreshed = await json(await tokenRequest(a, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }));
      assert.ok(refreshed.refresh_token);
      const hook = await json(await call(a, "/external/v1/webhooks", postJson(
        { destination_url: hookUrl, triggered_for: ["my_recordings", "my_shared_with_team_recordings"], include_summary: true },
        { authorization: `Bearer ${tokens.access_token}` },
      )));
      assert.ok(hook.secret);
      const apiKey = (await json(await call(a, "/_sandbox/api-keys", postJson({ user_email: SANDY })))).api_key;
      const before = await json(await call(a, "/_sandbox/recordings", postJson({ title: "Before the restart" })));
      assert.equal(before.deliveries[0].status, 204);
      assert.equal(received.length, 1);
      const idsBefore = recordingIds(a);
      assert.equal(await first.saver.flush(), true);

      assert.equal(await fileMode(file), 0o600);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["fathom-sandbox.json"], "no temporary file is left");
      assert.equal(JSON.parse(await Deno.readTextFile(file)).version, SNAPSHOT_VERSION);

      // "Restart": a new sandbox from the same file, same clock (the tokens are 60 s old, not expired).
      clock.advance(60_000);
      const second = await open(file, { now: clock.now });
      assert.equal(second.loaded.kind, "loaded");
      assert.deepEqual(second.warnings, []);
      const b = second.sandbox;

      // Demo meetings are not seeded again: exactly the same recordings.
      assert.deepEqual(recordingIds(b), idsBefore);
      assert.equal(b.state().counts.meetings, a.state().counts.meetings);

      // The old access token and the API key still work.
      const listed = await getJson(b, "/external/v1/meetings", tokens.access_token);
      assert.equal(listed.status, 200);
      assert.equal(listed.body.items[0].recording_id, before.recording_id);
      const viaKey = await call(b, "/external/v1/meetings", { headers: { "x-api-key": apiKey } });
      assert.equal(viaKey.status, 200);
      await viaKey.body?.cancel();

      // Refresh tokens: the one used before the restart stays used; the current one works once.
      const reused = await tokenRequest(b, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
      assert.equal(reused.status, 400);
      assert.equal((await reused.json()).error, "invalid_grant");
      const again = await tokenRequest(b, { grant_type: "refresh_token", refresh_token: refreshed.refresh_token });
      assert.equal(again.status, 200);
      const rotated = await again.json();
      assert.equal((await getJson(b, "/external/v1/meetings", rotated.access_token)).status, 200);
      const twice = await tokenRequest(b, { grant_type: "refresh_token", refresh_token: refreshed.refresh_token });
      assert.equal(twice.status, 400, "still single-use after a restart");
      await twice.body?.cancel();

      // The webhook is still registered, with its secret, and a new recording reaches it with the next id.
      assert.deepEqual(b.state().webhooks.map((w) => w.id), [hook.id]);
      const after = await json(await call(b, "/_sandbox/recordings", postJson({ title: "After the restart" })));
      assert.equal(after.recording_id, before.recording_id + 1);
      assert.ok(after.recording_id > Math.max(...idsBefore));
      assert.deepEqual(after.deliveries.map((d: Json) => [d.webhook_id, d.status]), [[hook.id, 204]]);
      assert.equal(received.length, 2);
      const delivered = received[1];
      const payload = new Webhook(hook.secret).verify(delivered.body, delivered.headers) as Json;
      assert.equal(payload.recording_id, after.recording_id);
      assert.equal(payload.title, "After the restart");

      // Deliveries from before the restart are listed and can be redelivered.
      const deliveries = b.deliveries();
      assert.deepEqual(deliveries.map((d) => d.recording_id), [before.recording_id, after.recording_id]);
      const redelivered = await call(b, `/_sandbox/webhook-deliveries/${before.deliveries[0].message_id}/redeliver`, { method: "POST" });
      assert.equal((await redelivered.json()).status, 204);
      assert.equal(received.length, 3);

      assert.equal(await second.saver.flush(), true);
      const third = await open(file, { now: clock.now });
      assert.deepEqual(recordingIds(third.sandbox), [...idsBefore, after.recording_id].sort());
      await third.saver.flush();
    });
  });
});

Deno.test("expired access tokens and revoked grants stay that way after a restart", async () => {
  await withStateDir(async (_dir, file) => {
    const clock = testClock();
    const first = await open(file, { now: clock.now });
    const sandy = await connect(first.sandbox);
    const other = await connect(first.sandbox, "other@sandbox.fathom.test");
    first.sandbox.expireAccessTokens(SANDY);
    first.sandbox.revokeGrants({ userEmail: "other@sandbox.fathom.test" });
    await first.saver.flush();

    const { sandbox } = await open(file, { now: clock.now });
    assert.equal((await getJson(sandbox, "/external/v1/meetings", sandy.access_token)).body.message, "The access token has expired");
    assert.equal((await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: sandy.refresh_token })).status, 200);
    assert.equal((await getJson(sandbox, "/external/v1/meetings", other.access_token)).status, 401);
    const revoked = await tokenRequest(sandbox, { grant_type: "refresh_token", refresh_token: other.refresh_token });
    assert.equal((await revoked.json()).error_description, "The grant has been revoked by the user");
  });
});

Deno.test("changes are saved by themselves shortly after the last one; GET requests change nothing", async () => {
  await withStateDir(async (_dir, file) => {
    const persistent = await openPersistentSandbox(file, { publicUrl: BASE }, { debounceMs: 20, warn: () => {} });
    const { sandbox } = persistent;
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(JSON.parse(await Deno.readTextFile(file)).users.length, sandbox.state().users.length, "a fresh state is saved at once");

    await call(sandbox, "/_sandbox/users", postJson({ email: "new.person@sandbox.fathom.test" }));
    await new Promise((r) => setTimeout(r, 80));
    const saved = JSON.parse(await Deno.readTextFile(file));
    assert.ok(saved.users.some((u: Json) => u.email === "new.person@sandbox.fathom.test"));
    assert.equal(await persistent.saver.flush(), true);
  });

  let changes = 0;
  const sandbox = createSandbox({ publicUrl: BASE, onChange: () => changes++ });
  const { access_token } = await connect(sandbox);
  assert.ok(changes >= 2, "the consent form and the token exchange count as changes");
  changes = 0;
  const before = JSON.stringify({ ...sandbox.snapshot(), savedAt: null });
  for (const path of ["/", "/_sandbox/state", "/_sandbox/webhook-deliveries", "/external/v1/teams", "/external/v1/meetings", `/external/v1/oauth2/authorize?client_id=${CLIENT_ID}&redirect_uri=${REDIRECT_URI}`]) {
    const res = await call(sandbox, path, bearer(access_token));
    assert.ok(res.status < 400, `${path}: ${res.status}`);
    await res.body?.cancel();
  }
  assert.equal(changes, 0);
  assert.equal(JSON.stringify({ ...sandbox.snapshot(), savedAt: null }), before);

  // A failed POST may still change state (a replayed code revokes its grant), so it counts too.
  const bad = await call(sandbox, "/external/v1/oauth2/token", postJson({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }));
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
  assert.equal(changes, 1);
  await sandbox.addRecording({ deliver: false });
  sandbox.expireAccessTokens();
  assert.equal(changes, 3, "programmatic mutations count too");
});

Deno.test("two sandboxes restored from one snapshot share nothing", async () => {
  const a = createSandbox({ publicUrl: BASE });
  const tokens = await connect(a);
  const b = createSandbox({ publicUrl: BASE, snapshot: a.snapshot() });
  assert.equal((await tokenRequest(b, { grant_type: "refresh_token", refresh_token: tokens.refresh_token })).status, 200);
  const inA = await tokenRequest(a, { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  assert.equal(inA.status, 200, "using the refresh token in b did not use it up in a");
  await inA.body?.cancel();
});

for (const [name, content, reason] of [
  ["corrupt JSON", '{"version": 1, "users": [', /not valid JSON/],
  ["another version", JSON.stringify({ version: 2, users: [] }), /unsupported version 2 \(this sandbox reads version 1\)/],
  ["no version", JSON.stringify({ users: [] }), /unsupported version \(none\)/],
  ["unexpected content", JSON.stringify({ version: 1, users: "nobody" }), /unexpected content at nextRecordingId/],
  ["not an object", "[1, 2]", /not a JSON object/],
] as const) {
  Deno.test(`a state file with ${name} is ignored with one warning line: fresh state, then overwritten`, async () => {
    await withStateDir(async (_dir, file) => {
      await Deno.writeTextFile(file, content);
      const { sandbox, loaded, warnings, saver } = await open(file);
      assert.equal(loaded.kind, "ignored");
      assert.equal(warnings.length, 1);
      assert.doesNotMatch(warnings[0], /\n/);
      assert.match(warnings[0], new RegExp(`^fathom-sandbox: warning: ignoring state file ${file}: `));
      assert.match(warnings[0], reason);
      assert.match(warnings[0], /starting with fresh state/);
      assert.deepEqual(recordingIds(sandbox), recordingIds(createSandbox({ publicUrl: BASE })), "the seed, demo meetings included");

      assert.equal(await saver.flush(), true);
      assert.equal(JSON.parse(await Deno.readTextFile(file)).version, SNAPSHOT_VERSION);
      assert.equal(await fileMode(file), 0o600);
    });
  });
}

Deno.test("an unreadable state file is ignored with a warning; a failed save is reported, not thrown", async () => {
  await withStateDir(async (dir, file) => {
    await Deno.mkdir(file); // a directory where the file should be: cannot be read, cannot be replaced
    const { loaded, warnings, saver } = await open(file);
    assert.equal(loaded.kind, "ignored");
    assert.match(warnings[0], /cannot read it/);
    assert.equal(await saver.flush(), false);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1], new RegExp(`^fathom-sandbox: could not save state to ${file}: `));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["fathom-sandbox.json"], "the temporary file is removed");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// main.ts, as `npm start` runs it

const repoRoot = new URL("../../", import.meta.url);

async function startMain(stateFile: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--node-modules-dir=manual", "dev/fathom-sandbox/main.ts"],
    cwd: repoRoot,
    env: { FATHOM_SANDBOX_PORT: "0", FATHOM_CLIENT_ID: "app-x", FATHOM_CLIENT_SECRET: "secret-x", FATHOM_SANDBOX_STATE_FILE: stateFile },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (output.split("\n").length < 3) {
    const { value, done } = await reader.read();
    if (done) break;
    output += value;
  }
  const [listening, stateLine] = output.split("\n");
  const base = listening.match(/http:\/\/\S+/)![0];
  return {
    base,
    stateLine,
    async stop() {
      child.kill("SIGTERM");
      const status = await child.status;
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      const stderr = await new Response(child.stderr).text();
      return { code: status.code, stderr };
    },
  };
}

Deno.test("main.ts with FATHOM_SANDBOX_STATE_FILE saves on SIGTERM and restores on the next start", async () => {
  await withStateDir(async (_dir, file) => {
    const first = await startMain(file);
    assert.match(first.stateLine, new RegExp(`^Fathom sandbox state file: ${file} \\(fresh state\\)$`));
    const consent = await fetch(`${first.base}/external/v1/oauth2/authorize`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ client_id: "app-x", redirect_uri: REDIRECT_URI, response_type: "code", decision: "allow" }),
    });
    const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
    const tokens = await (await fetch(`${first.base}/external/v1/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: "app-x", client_secret: "secret-x" }),
    })).json();
    const hook = await fetch(`${first.base}/external/v1/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ destination_url: "http://127.0.0.1:9/hook", triggered_for: ["my_recordings"], include_summary: true }),
    });
    assert.equal(hook.status, 201);
    const { id: webhookId } = await hook.json();
    // Stopped at once, inside the 250 ms debounce: the shutdown save must catch the webhook.
    const stopped = await first.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(await fileMode(file), 0o600);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(file)).webhooks.map((w: Json) => w.id), [webhookId]);

    const second = await startMain(file);
    assert.match(second.stateLine, /\(restored: meetings 13, active grants 1, webhooks 1\)$/);
    const meetings = await fetch(`${second.base}/external/v1/meetings`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(meetings.status, 200);
    assert.equal((await meetings.json()).items.length, 10);
    const state = await (await fetch(`${second.base}/_sandbox/state`)).json();
    assert.deepEqual(state.webhooks.map((w: Json) => w.id), [webhookId]);
    const stoppedAgain = await second.stop();
    assert.equal(stoppedAgain.code, 0, stoppedAgain.stderr);
    assert.doesNotMatch(`${stopped.stderr}${stoppedAgain.stderr}`, /fathom-sandbox:/, "no state-file warning or save error");
  });
});
