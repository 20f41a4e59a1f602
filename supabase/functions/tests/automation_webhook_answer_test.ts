// A failed send_webhook step as stored (engine end to end, atk11b): an endpoint that echoes its own URL in its
// answer, however it writes it (Express's "Cannot POST /path", PHP's `\/`-escaped JSON, percent-encoded, HTML
// character references, the query alone), leaves no piece of the URL's secret path or query in the step; the
// answer's other words are kept.
import assert from "node:assert/strict";
import { asService } from "../_shared/db.ts";
import { createEndpoint } from "../_shared/automations/endpoints.ts";
import { drain, dropTeam, fakeChat, importLinkedMeeting, publishRule, runsOf, setupTeam, stepsOf } from "./automation_engine_support.ts";
import { closeAll, sql, test } from "./helpers.ts";

const ECHOES: Record<string, (url: URL) => string> = {
  "Express's 404 (the path alone)": (u) =>
    `<!DOCTYPE html><html><head><title>Error</title></head><body><pre>Cannot POST ${u.pathname}</pre></body></html>`,
  "PHP json_encode (escaped slashes)": (u) => JSON.stringify({ error: "unknown hook", url: u.href }).replaceAll("/", "\\/"),
  "percent-encoded": (u) => `unknown hook ${encodeURIComponent(u.href)}`,
  "HTML character references": (u) => `<p>unknown hook ${u.href.replaceAll("/", "&#x2F;")}</p>`,
  "the query alone": (u) => `unknown hook, query ${u.search.slice(1)}`,
};

for (const [style, echo] of Object.entries(ECHOES)) {
  test(`send_webhook: an answer echoing the URL as ${style} is stored without it`, async () => {
    const t = await setupTeam();
    const controller = new AbortController();
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, async (req) => {
      await req.text();
      return new Response(echo(new URL(req.url)), { status: 404 });
    });
    const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/hooks/catch/4815162/zq8xw2k/?sig=Ab12Cd34Ef56`;
    try {
      const { endpoint } = await asService((tx) => createEndpoint(tx, { teamId: t.teamId, name: "Zapier", url }));
      await publishRule(t.teamId, { trigger: "meeting.linked_to_lead", actions: [{ type: "send_webhook", endpoint_id: endpoint.id }] });
      await importLinkedMeeting(t.teamId);
      await drain();
      const [run] = await runsOf(t.teamId);
      assert.equal(run.status, "dead");
      const [step] = await stepsOf(run.id);
      const stored = JSON.stringify(step);
      for (const secret of ["4815162", "zq8xw2k", "Ab12Cd34Ef56"]) assert.ok(!stored.includes(secret), `${secret} in ${stored}`);
      assert.equal(step.output?.status, 404);
      assert.match(step.output?.response_excerpt ?? "", /unknown hook|Cannot POST/);
    } finally {
      controller.abort();
      await server.finished;
      await dropTeam(t.teamId);
    }
  });
}

test("teardown", async () => {
  await fakeChat.close();
  await closeAll();
  await sql.end();
});
