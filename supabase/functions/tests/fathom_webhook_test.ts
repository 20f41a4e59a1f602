// fathom-webhook: signature verification (Standard Webhooks over the raw body), routing by route id, dedupe,
// import + lead matching, and a real sandbox delivery to the handler served over HTTP.
import assert from "node:assert/strict";
import { handler } from "../fathom-webhook/handler.ts";
import { ensureWebhook } from "../_shared/fathom/webhook-registration.ts";
import { createFathomClient } from "../_shared/fathom/client.ts";
import { inboxIdle, processDueDeliveries } from "../_shared/fathom/inbox.ts";
import { fetchMeetingContentNow, processDueContent } from "../_shared/fathom/content.ts";
import { closeAll, sql, test, withEnv } from "./helpers.ts";
import {
  connectFathom,
  createTeam,
  dropTeam,
  eventually,
  installWebhookSecret,
  recordAtSandbox,
  JANE,
  SANDY,
  sandboxTokens,
  signedHeaders,
  startSandbox,
  wireMeeting,
} from "./fathom_support.ts";

/** One delivery to the handler; resolves once the import it scheduled (if any) has run too. */
async function post(routeId: string, body: string, headers: Record<string, string>): Promise<Response> {
  const res = await handler(new Request(`http://127.0.0.1:54399/functions/v1/fathom-webhook/${routeId}`, {
    method: "POST",
    headers,
    body,
  }));
  await inboxIdle();
  return res;
}

async function setup(opts: { createLeadsFromUnknown?: boolean } = {}) {
  const team = await createTeam(opts);
  const integrationId = await connectFathom(team.teamId, { access_token: "unused", refresh_token: "unused" });
  const route = await installWebhookSecret(integrationId, team.teamId);
  return { ...team, integrationId, ...route };
}

/** A team connected to a fresh sandbox with real tokens, and a webhook route whose secret the test signs with. */
async function sandboxTeam() {
  const fathom = startSandbox({ demoMeetings: false });
  const team = await createTeam();
  const integrationId = await connectFathom(team.teamId, await sandboxTokens(fathom.base));
  return { fathom, team, integrationId, ...await installWebhookSecret(integrationId, team.teamId) };
}

async function stored(teamId: string) {
  const [counts] = await sql`
    select (select count(*)::int from public.meetings where team_id = ${teamId}) as meetings,
           (select count(*)::int from public.webhook_deliveries where team_id = ${teamId}) as deliveries,
           (select count(*)::int from public.meeting_leads where team_id = ${teamId}) as links,
           (select count(*)::int from public.integration_events where team_id = ${teamId}) as events`;
  return counts;
}

const NOTHING = { meetings: 0, deliveries: 0, links: 0, events: 0 };

test("webhook: a valid delivery is imported, linked to Jane Doe case-insensitively, content complete", async () => {
  const t = await setup();
  try {
    const meeting = wireMeeting();
    const body = JSON.stringify(meeting);
    const res = await post(t.routeId, body, signedHeaders(t.secret, body));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, duplicate: false });

    const [row] = await sql`select * from public.meetings where team_id = ${t.teamId}`;
    assert.equal(row.provider_meeting_id, String(meeting.recording_id));
    assert.equal(row.source, "webhook");
    assert.equal(row.content_status, "complete");
    assert.equal(row.summary_markdown, "## Summary\nWe talked.");
    assert.equal(row.transcript.length, 1);
    const links = await sql`select lead_id, matched_email from public.meeting_leads where meeting_id = ${row.id}`;
    assert.deepEqual(links.map((l) => [l.lead_id, l.matched_email]), [[t.janeId, JANE.email]]);
    const events = await sql`select type from public.integration_events where team_id = ${t.teamId} order by id`;
    assert.deepEqual(events.map((e) => e.type), ["fathom.meeting.imported", "fathom.meeting.linked_to_lead"]);
    const leads = await sql`select count(*)::int as n from public.leads where team_id = ${t.teamId}`;
    assert.equal(leads[0].n, 2, "the host never becomes a lead; the setting is off");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: wrong secret, stale or future timestamp, altered body, missing headers -> 401, nothing stored", async () => {
  const t = await setup();
  try {
    const body = JSON.stringify(wireMeeting());
    const otherSecret = `whsec_${btoa("x".repeat(24))}`;
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
    const sixMinutesAhead = new Date(Date.now() + 6 * 60_000);
    const good = signedHeaders(t.secret, body);
    const cases: [string, string, Record<string, string>][] = [
      ["wrong secret", body, signedHeaders(otherSecret, body)],
      ["stale timestamp", body, signedHeaders(t.secret, body, { at: sixMinutesAgo })],
      ["future timestamp", body, signedHeaders(t.secret, body, { at: sixMinutesAhead })],
      ["altered body", body.replace("Acme discovery call", "Acme discovery calls"), good],
      ["no signature", body, { ...good, "webhook-signature": "" }],
      ["no id", body, { ...good, "webhook-id": "" }],
      ["no headers", body, { "content-type": "application/json" }],
    ];
    for (const [name, sent, headers] of cases) {
      const res = await post(t.routeId, sent, headers);
      assert.equal(res.status, 401, name);
      assert.equal((await res.json()).error.code, "unauthorized", name);
    }
    assert.deepEqual(await stored(t.teamId), NOTHING);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: unknown or malformed route -> 404; no secret known -> 401 (verification is never skipped)", async () => {
  const t = await setup();
  try {
    const body = JSON.stringify(wireMeeting());
    const unknown = await post("A".repeat(43), body, signedHeaders(t.secret, body));
    assert.equal(unknown.status, 404);
    const malformed = await post("short", body, signedHeaders(t.secret, body));
    assert.equal(malformed.status, 404);
    await sql`update public.team_integrations set webhook_secret_encrypted = null where id = ${t.integrationId}`;
    const noSecret = await post(t.routeId, body, signedHeaders(t.secret, body));
    assert.equal(noSecret.status, 401);
    assert.deepEqual(await stored(t.teamId), NOTHING);
    const wrongMethod = await handler(new Request(`http://x/functions/v1/fathom-webhook/${t.routeId}`));
    assert.equal(wrongMethod.status, 405);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: a verified body that is not a meeting -> 400; an oversized body -> 413; nothing stored", async () => {
  const t = await setup();
  try {
    const body = JSON.stringify({ hello: "world" });
    const res = await post(t.routeId, body, signedHeaders(t.secret, body));
    assert.equal(res.status, 400);
    const big = JSON.stringify(wireMeeting({ title: "x".repeat(5 * 1024 * 1024) }));
    const tooBig = await post(t.routeId, big, signedHeaders(t.secret, big));
    assert.equal(tooBig.status, 413);
    assert.deepEqual(await stored(t.teamId), NOTHING);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: the same delivery twice stores once; the same recording under another webhook-id too", async () => {
  const t = await setup();
  try {
    const meeting = wireMeeting();
    const body = JSON.stringify(meeting);
    const first = await post(t.routeId, body, signedHeaders(t.secret, body, { id: "msg_same" }));
    assert.equal((await first.json()).duplicate, false);
    // a retry: same id and body, a fresh timestamp and signature
    const retry = await post(t.routeId, body, signedHeaders(t.secret, body, { id: "msg_same" }));
    assert.equal(retry.status, 200);
    assert.deepEqual(await retry.json(), { ok: true, duplicate: true });
    const other = await post(t.routeId, body, signedHeaders(t.secret, body, { id: "msg_other" }));
    assert.equal((await other.json()).duplicate, true);
    assert.deepEqual(await stored(t.teamId), { meetings: 1, deliveries: 1, links: 1, events: 2 });
    const [delivery] = await sql`select status, body, attempts from public.webhook_deliveries where team_id = ${t.teamId}`;
    assert.deepEqual({ ...delivery }, { status: "imported", body: null, attempts: 1 });
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: unknown external attendees become leads only when the team setting is on; the host never", async () => {
  for (const on of [false, true]) {
    const t = await setup({ createLeadsFromUnknown: on });
    try {
      const meeting = wireMeeting({
        calendar_invitees: [
          { name: "Sandy Sandbox", email: SANDY, email_domain: "sandbox.fathom.test", is_external: false },
          { name: "Sam Seller", email: "sam@sandbox.fathom.test", email_domain: "sandbox.fathom.test", is_external: false },
          { name: null, email: "Someone@NewCo.example", email_domain: "newco.example", is_external: true },
          { name: "Jane Doe", email: JANE.email, email_domain: "acme.example", is_external: true },
        ],
      });
      const body = JSON.stringify(meeting);
      const res = await post(t.routeId, body, signedHeaders(t.secret, body));
      assert.equal(res.status, 200);
      const leads = await sql`select l.name, l.company, l.source, e.email_normalized as email
                                from public.leads l join public.lead_emails e on e.lead_id = l.id
                               where l.team_id = ${t.teamId} and l.source = 'fathom'`;
      const links = await sql`select count(*)::int as n from public.meeting_leads where team_id = ${t.teamId}`;
      const created = await sql`select count(*)::int as n from public.integration_events
                                 where team_id = ${t.teamId} and type = 'lead.created_from_meeting'`;
      if (on) {
        assert.deepEqual(leads.map((l) => ({ ...l })), [
          // no name from Fathom and "someone" is no person's name: the address (lead-name.ts)
          { name: "someone@newco.example", company: "Newco", source: "fathom", email: "someone@newco.example" },
        ]);
        assert.equal(links[0].n, 2);
        assert.equal(created[0].n, 1);
      } else {
        assert.equal(leads.length, 0);
        assert.equal(links[0].n, 1, "only Jane");
        assert.equal(created[0].n, 0);
      }
    } finally {
      await dropTeam(t.teamId);
    }
  }
});

test("webhook (sandbox): a simulated recording is delivered to the real handler over HTTP and lands on the lead", async () => {
  const fathom = startSandbox({ demoMeetings: false });
  const controller = new AbortController();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", signal: controller.signal, onListen() {} }, handler);
  const functionsBase = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  const team = await createTeam();
  try {
    const tokens = await sandboxTokens(fathom.base);
    const integrationId = await connectFathom(team.teamId, tokens);
    await withEnv({ SUPABASE_URL: functionsBase }, async () => {
      const client = createFathomClient({ baseUrl: `${fathom.base}/external/v1`, accessToken: tokens.access_token });
      assert.equal(await ensureWebhook(client, integrationId), true);
    });
    const [row] = await sql`select webhook_id, webhook_route_id, webhook_secret_encrypted from public.team_integrations
                             where id = ${integrationId}`;
    const [registered] = fathom.sandbox.state().webhooks;
    assert.equal(registered.id, row.webhook_id);
    assert.equal(registered.url, `${functionsBase}/functions/v1/fathom-webhook/${row.webhook_route_id}`);
    assert.deepEqual(registered.triggered_for, [
      "my_recordings",
      "shared_external_recordings",
      "my_shared_with_team_recordings",
      "shared_team_recordings",
    ]);
    assert.equal(registered.include_transcript && registered.include_summary && !registered.include_crm_matches, true);
    assert.match(row.webhook_secret_encrypted, /^v1:/);

    const { recording_id, deliveries } = await recordAtSandbox(fathom.base, {
      user_email: SANDY, title: "Acme follow-up", invitees: [{ name: "Jane Doe", email: JANE.email }],
    });
    assert.deepEqual(deliveries.map((d: { status: number }) => d.status), [200]);
    await inboxIdle();

    const meeting = await eventually(async () =>
      (await sql`select id, title, content_status, source from public.meetings
                  where team_id = ${team.teamId} and provider_meeting_id = ${String(recording_id)}`)[0]
    );
    assert.deepEqual([meeting.title, meeting.content_status, meeting.source], ["Acme follow-up", "complete", "webhook"]);
    const [link] = await sql`select lead_id from public.meeting_leads where meeting_id = ${meeting.id}`;
    assert.equal(link.lead_id, team.janeId);

    // Svix-style retry of the same message: acknowledged, not stored again
    const again = await fathom.sandbox.redeliver(deliveries[0].message_id);
    await inboxIdle();
    assert.equal(again.status, 200);
    assert.equal((await stored(team.teamId)).meetings, 1);
  } finally {
    await dropTeam(team.teamId);
    controller.abort();
    await server.finished;
    await fathom.close();
    await closeAll();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// data as it really arrives (issue 7: items 1, 2, 4) and the inbox

test("webhook: a signed body that is not JSON is 400 (signature first, then parse); a bad signature stays 401", async () => {
  const t = await setup();
  try {
    const body = '{"recording_id": 12, "title": "cut off';
    const res = await post(t.routeId, body, signedHeaders(t.secret, body));
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, "invalid_request");
    const forged = await post(t.routeId, body, signedHeaders(`whsec_${btoa("y".repeat(24))}`, body));
    assert.equal(forged.status, 401);
    assert.deepEqual(await stored(t.teamId), NOTHING);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: NUL, lone surrogates and impossible dates are cleaned, and the meeting is stored at once", async () => {
  const t = await setup();
  try {
    const cases = [
      { title: "Acme\\u0000 call", recording_start_time: "0000-01-01T00:00:00Z" },
      { title: "Acme \\ud800 call", recording_start_time: "+275760-09-13T00:00:00Z" },
      { title: "Acme call", meeting_title: "\\u0000\\udfff", created_at: "2026-13-45T99:00:00Z" },
    ];
    for (const [i, fields] of cases.entries()) {
      // JSON text with the escapes as Fathom would send them (JSON.stringify would keep them as characters)
      const meeting = wireMeeting({ recording_id: 880_000 + i });
      let body = JSON.stringify({ ...meeting, ...Object.fromEntries(Object.keys(fields).map((k) => [k, `@@${k}@@`])) });
      for (const [k, v] of Object.entries(fields)) body = body.replace(`"@@${k}@@"`, `"${v}"`);
      const res = await post(t.routeId, body, signedHeaders(t.secret, body));
      assert.equal(res.status, 200, `case ${i}: ${await res.clone().text()}`);
    }
    const rows = await sql`select title, meeting_title, recording_start_time, provider_created_at, content_status
                             from public.meetings where team_id = ${t.teamId} order by provider_meeting_id::bigint`;
    assert.deepEqual(rows.map((r) => r.title), ["Acme call", "Acme \ufffd call", "Acme call"]);
    assert.equal(rows[2].meeting_title, "\ufffd");
    assert.deepEqual(rows.map((r) => r.recording_start_time), [null, null, rows[2].recording_start_time]);
    assert.equal(rows[2].provider_created_at, null);
    const failed = await sql`select count(*)::int as n from public.webhook_deliveries
                              where team_id = ${t.teamId} and status <> 'imported'`;
    assert.equal(failed[0].n, 0);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: a delivery with default_summary null is pending and its summary is fetched from Fathom", async () => {
  const { fathom, team, routeId, secret } = await sandboxTeam();
  try {
    // a real recording at the sandbox, delivered by hand without its summary (Fathom: not ready yet)
    const { recording_id } = await recordAtSandbox(fathom.base, {
      user_email: SANDY, title: "Acme summary later", deliver: false, summary_ready: true,
      invitees: [{ name: "Jane Doe", email: JANE.email }],
    });
    const body = JSON.stringify(wireMeeting({ recording_id, default_summary: null }));
    await withEnv({ FATHOM_API_BASE_URL: `${fathom.base}/external/v1` }, async () => {
      const res = await post(routeId, body, signedHeaders(secret, body));
      assert.equal(res.status, 200);
    });
    const [row] = await sql`select content_status, summary_markdown, transcript from public.meetings
                             where team_id = ${team.teamId} and provider_meeting_id = ${String(recording_id)}`;
    assert.equal(row.content_status, "complete");
    assert.ok(row.summary_markdown, "the summary was fetched");
    assert.equal(row.transcript.length, 1, "the delivered transcript was kept, not fetched again");
    const calls = fathom.sandbox.requests().map((r: { path: string }) => r.path);
    assert.ok(calls.some((p: string) => p.endsWith(`/recordings/${recording_id}/summary`)));
    assert.ok(!calls.some((p: string) => p.endsWith(`/recordings/${recording_id}/transcript`)));
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("webhook inbox: an import that fails is retried from the stored delivery; nothing acknowledged is lost", async () => {
  const t = await setup();
  try {
    const meeting = wireMeeting();
    const body = JSON.stringify(meeting);
    // the import will fail: the meetings table refuses writes for this team for a moment
    await sql`create or replace function public.test_refuse_meeting() returns trigger language plpgsql as $$
              begin raise exception 'refused for the test'; end $$`;
    await sql.unsafe(`create trigger test_refuse before insert on public.meetings for each row
                      when (new.team_id = '${t.teamId}') execute function public.test_refuse_meeting()`);
    let res;
    try {
      res = await post(t.routeId, body, signedHeaders(t.secret, body));
    } finally {
      await sql`drop trigger test_refuse on public.meetings`;
      await sql`drop function public.test_refuse_meeting()`;
    }
    assert.equal(res.status, 200, "acknowledged: the delivery is stored");
    const [waiting] = await sql`select status, attempts, last_error, body is not null as has_body, next_attempt_at
                                  from public.webhook_deliveries where team_id = ${t.teamId}`;
    assert.deepEqual([waiting.status, waiting.attempts, waiting.has_body], ["received", 1, true]);
    assert.match(waiting.last_error, /PostgresError/);
    assert.ok(waiting.next_attempt_at > new Date());
    assert.equal((await stored(t.teamId)).meetings, 0);

    // the every-minute sweep, once the backoff has passed
    await sql`update public.webhook_deliveries set next_attempt_at = now() where team_id = ${t.teamId}`;
    await processDueDeliveries();
    assert.deepEqual(await stored(t.teamId), { meetings: 1, deliveries: 1, links: 1, events: 2 });
    // a redelivery of the same message after that changes nothing
    await post(t.routeId, body, signedHeaders(t.secret, body));
    assert.deepEqual(await stored(t.teamId), { meetings: 1, deliveries: 1, links: 1, events: 2 });
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook inbox: after the attempt limit a delivery is failed with its reason and an event", async () => {
  const t = await setup();
  try {
    const body = JSON.stringify(wireMeeting());
    await sql`insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id, status,
                                                     body, attempts)
              values (${t.integrationId}, ${t.teamId}, 'msg_broken', 1, 'received', '{"recording_id": "x"}', 0),
                     (${t.integrationId}, ${t.teamId}, 'msg_late', 2, 'received', ${body}, 0)`;
    await processDueDeliveries();
    const rows = await sql`select webhook_message_id as id, status, last_error from public.webhook_deliveries
                            where team_id = ${t.teamId} order by 1`;
    assert.deepEqual(rows.map((r) => [r.id, r.status]), [["msg_broken", "failed"], ["msg_late", "imported"]]);
    assert.match(rows[0].last_error, /not a Fathom meeting/);
    const events = await sql`select payload from public.integration_events
                              where team_id = ${t.teamId} and type = 'fathom.webhook.import_failed'`;
    assert.equal(events.length, 1);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: content Fathom could not give at delivery time is fetched by the every-minute sweep", async () => {
  const { fathom, team, routeId, secret } = await sandboxTeam();
  try {
    const { recording_id } = await recordAtSandbox(fathom.base, {
      user_email: SANDY, title: "Acme sweep", deliver: false, summary_ready: true,
    });
    const body = JSON.stringify(wireMeeting({ recording_id, default_summary: null, transcript: null }));
    fathom.sandbox.setFailure({ target: "api", mode: "status_503" }); // Fathom is down while the delivery arrives
    await withEnv({ FATHOM_API_BASE_URL: `${fathom.base}/external/v1` }, async () => {
      assert.equal((await post(routeId, body, signedHeaders(secret, body))).status, 200);
      const [pending] = await sql`select content_status from public.meetings where team_id = ${team.teamId}`;
      assert.equal(pending.content_status, "pending");
      fathom.sandbox.clearFailures();
      // a minute later, the sweep
      await sql`update public.meetings set imported_at = now() - interval '2 minutes' where team_id = ${team.teamId}`;
      const counts = await processDueContent();
      assert.ok(counts.stored >= 1, JSON.stringify(counts));
    });
    const [row] = await sql`select content_status, summary_markdown is not null as summary,
                                   transcript is not null as transcript
                              from public.meetings where team_id = ${team.teamId}`;
    assert.deepEqual({ ...row }, { content_status: "complete", summary: true, transcript: true });
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("opening a meeting fetches a late summary at once, even while the sweep's pause runs; not twice in 15 s", async () => {
  const { fathom, team, routeId, secret } = await sandboxTeam();
  try {
    const { recording_id } = await recordAtSandbox(fathom.base, {
      user_email: SANDY, title: "Acme late summary", deliver: false, summary_ready: false,
    });
    // as Fathom delivers it: its created_at (the sandbox made it a moment ago), the summary not ready yet
    const body = JSON.stringify(
      wireMeeting({ recording_id, created_at: new Date().toISOString(), default_summary: null, action_items: null }),
    );
    await withEnv({ FATHOM_API_BASE_URL: `${fathom.base}/external/v1` }, async () => {
      await post(routeId, body, signedHeaders(secret, body)); // its own fetch finds the summary not ready
      const [pending] = await sql`select id, content_status, content_retry_after > now() as paused
                                    from public.meetings where team_id = ${team.teamId}`;
      assert.deepEqual([pending.content_status, pending.paused], ["pending", true]);
      fathom.sandbox.finishSummaries();
      fathom.sandbox.clearRequests();
      await fetchMeetingContentNow(team.teamId, pending.id); // within 15 s of the last try: no call
      assert.equal(fathom.requests(/^\/external\/v1\//).length, 0);
      await sql`update public.meetings set content_fetched_at = now() - interval '20 seconds' where id = ${pending.id}`;
      await fetchMeetingContentNow(team.teamId, pending.id); // a person opens it: at once, pause or not
      const [row] = await sql`select content_status, summary_markdown is not null as summary,
                                     jsonb_array_length(action_items) as items from public.meetings where id = ${pending.id}`;
      assert.deepEqual([row.content_status, row.summary], ["complete", true]);
      assert.ok(row.items > 0, "the action items came with the summary");
    });
  } finally {
    await dropTeam(team.teamId);
    await fathom.close();
  }
});

test("webhook inbox: once a recording's delivery has failed, a new delivery of it is stored and imported", async () => {
  const t = await setup();
  try {
    const meeting = wireMeeting();
    await sql`insert into public.webhook_deliveries (integration_id, team_id, webhook_message_id, recording_id, status,
                                                     body, attempts, last_error)
              values (${t.integrationId}, ${t.teamId}, 'msg_gave_up', ${meeting.recording_id}, 'failed', null, 6, 'x')`;
    const body = JSON.stringify(meeting);
    const res = await post(t.routeId, body, signedHeaders(t.secret, body, { id: "msg_again" }));
    assert.deepEqual(await res.json(), { ok: true, duplicate: false });
    assert.equal((await stored(t.teamId)).meetings, 1);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("webhook: two long webhook-ids sharing their first 200 characters are two messages", async () => {
  const t = await setup();
  try {
    const prefix = "msg_" + "x".repeat(220);
    for (const [i, suffix] of ["a", "b"].entries()) {
      const body = JSON.stringify(wireMeeting({ recording_id: 870_000 + i }));
      const res = await post(t.routeId, body, signedHeaders(t.secret, body, { id: prefix + suffix }));
      assert.deepEqual(await res.json(), { ok: true, duplicate: false });
    }
    assert.equal((await stored(t.teamId)).meetings, 2);
  } finally {
    await dropTeam(t.teamId);
  }
});
