import assert from "node:assert/strict";
import { startAutomationScheduler, startSyncScheduler } from "./sync-scheduler.mjs";

function fakeFathomSync(answer: () => Promise<Response>) {
  const calls: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    calls.push(`${req.method} ${req.headers.get("authorization")}`);
    return await answer();
  });
  return { calls, url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/functions/v1/fathom-sync`, server };
}

const ok = () => Response.json({ driven: 1, states: ["done"] });

Deno.test("the sync scheduler calls fathom-sync with its bearer secret on every interval", async () => {
  const fake = fakeFathomSync(async () => ok());
  const lines: string[] = [];
  const scheduler = startSyncScheduler({ url: fake.url, secret: "s3cret", intervalMs: 40, log: (l: string) => lines.push(l) });
  await new Promise((r) => setTimeout(r, 230));
  await scheduler.stop();
  const seen = fake.calls.length;
  assert.ok(seen >= 3, `called ${seen} times`);
  assert.ok(fake.calls.every((c) => c === "POST Bearer s3cret"));
  assert.ok(lines.includes("[sync] resumed 1 import(s): done"));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(fake.calls.length, seen, "no call after stop()");
  await fake.server.shutdown();
});

Deno.test("the sync scheduler never overlaps calls, reports a failure once, and stop() aborts a long call", async () => {
  let release!: () => void;
  const fake = fakeFathomSync(() => new Promise<Response>((resolve) => {
    release = () => resolve(Response.json({ error: { code: "unauthorized" } }, { status: 401 }));
  }));
  const lines: string[] = [];
  const scheduler = startSyncScheduler({ url: fake.url, secret: "x", intervalMs: 20, log: (l: string) => lines.push(l) });
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(fake.calls.length, 1, "one call in flight; ticks meanwhile are skipped");
  release();
  await new Promise((r) => setTimeout(r, 150));
  assert.ok(fake.calls.length >= 2);
  assert.deepEqual(lines, ["[sync] fathom-sync: HTTP 401 unauthorized"], "the same failure is reported once");
  const started = Date.now();
  await scheduler.stop();
  assert.ok(Date.now() - started < 1000, "stop() does not wait for a slow fathom-sync");
  release();
  await fake.server.shutdown();
});

Deno.test("the automations scheduler calls automation-runner with its secret and logs only passes that did work", async () => {
  const answers = [
    { dispatched: 0, ran: 0, succeeded: 0, retrying: 0, dead: 0 },
    { dispatched: 1, ran: 2, succeeded: 1, retrying: 0, dead: 1 },
  ];
  const fake = fakeFathomSync(async () => Response.json(answers.shift() ?? answers[0] ?? { dispatched: 0, ran: 0 }));
  const lines: string[] = [];
  const scheduler = startAutomationScheduler({ url: fake.url, secret: "run", intervalMs: 1000, log: (l: string) => lines.push(l) });
  await scheduler.tick();
  await scheduler.tick();
  await scheduler.tick();
  await scheduler.stop();
  assert.ok(fake.calls.every((c) => c === "POST Bearer run"));
  assert.deepEqual(lines, ["[automations] dispatched 1 event(s), ran 2 run(s): 1 succeeded, 0 retrying, 1 dead"]);
  await fake.server.shutdown();
});
