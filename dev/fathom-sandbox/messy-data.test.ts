// Issue 7 item 11: generated and demo meetings are as untidy as real ones, deterministically.
import assert from "node:assert/strict";
import { OTHER_LANGUAGES } from "./languages.ts";
import { call, connect, getJson, type Json, newSandbox, postJson, SANDY } from "./test-helpers.ts";
import type { Sandbox } from "./sandbox.ts";

async function listAll(sandbox: Sandbox, token: string, query = ""): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams(query);
    if (cursor) params.set("cursor", cursor);
    const { body } = await getJson(sandbox, `/external/v1/meetings?${params}`, token);
    items.push(...body.items);
    cursor = body.next_cursor;
  } while (cursor);
  return items;
}

Deno.test("generated history has every untidy case, the same on every run", async () => {
  const read = async () => {
    const { sandbox } = newSandbox({ demoMeetings: false });
    sandbox.generateMeetings({ userEmail: SANDY, count: 400 });
    const apiKey = sandbox.createApiKey(SANDY);
    const { access_token } = await connect(sandbox);
    return { sandbox, items: await listAll(sandbox, access_token, "include_action_items=true"), apiKey };
  };
  const { sandbox, items, apiKey } = await read();
  assert.equal(items.length, 400);
  const share = (f: (m: Json) => boolean) => items.filter(f).length;

  assert.ok(share((m) => m.meeting_title === null) >= 20, "null meeting_title");
  assert.ok(share((m) => m.recorded_by.team === null) >= 8, "null recorded_by.team (Robin Solo, on no team)");
  assert.ok(share((m) => m.calendar_invitees.length === 0) >= 10, "ad hoc: no calendar invitees");
  assert.ok(share((m) => m.calendar_invitees.length > 0 && !m.calendar_invitees.some((i: Json) => i.email === m.recorded_by.email)) >= 8, "recorder not invited");
  const languages = new Set(items.map((m) => m.transcript_language));
  for (const lang of ["en", ...OTHER_LANGUAGES]) assert.ok(languages.has(lang), lang);
  const notReady = items.filter((m) => m.action_items === null);
  assert.ok(notReady.length >= 8, "summary not ready yet");

  const viaKey = async (path: string) => await (await call(sandbox, path, { headers: { "x-api-key": apiKey } })).json();
  assert.deepEqual(await viaKey(`/external/v1/recordings/${notReady[0].recording_id}/summary`), { summary: null });
  const german = items.find((m) => m.transcript_language === "de");
  const transcript = (await viaKey(`/external/v1/recordings/${german.recording_id}/transcript`)).transcript;
  assert.match(transcript.map((t: Json) => t.text).join(" "), /danke/i, "German words in a German transcript");
  const japanese = items.find((m) => m.transcript_language === "ja");
  assert.match((await viaKey(`/external/v1/recordings/${japanese.recording_id}/transcript`)).transcript[0].text, /[\u3040-\u30ff]/);

  const again = await read();
  const stable = (list: Json[]) => JSON.stringify(list.map(({ url: _u, share_url: _s, ...m }) => m));
  assert.equal(stable(again.items), stable(items), "deterministic");
});

Deno.test("the demo meetings: untidy cases, with the CRM seed's contacts still on tidy ones", async () => {
  const { sandbox } = newSandbox();
  const apiKey = sandbox.createApiKey(SANDY);
  const res = await call(sandbox, "/external/v1/meetings?include_summary=true", { headers: { "x-api-key": apiKey } });
  const first = (await res.json()).items as Json[];
  const { access_token } = await connect(sandbox);
  const all = await listAll(sandbox, access_token, "include_summary=false");
  const byTitle = new Map(all.map((m) => [m.title, m]));
  assert.equal(byTitle.get("Intro call with NewCo").meeting_title, null);
  assert.equal(byTitle.get("Impromptu Zoom Meeting").calendar_invitees.length, 0);
  assert.equal(byTitle.get("Initech pricing discussion").recorded_by.team, null);
  assert.equal(byTitle.get("Acme security review").transcript_language, "de");
  assert.equal(byTitle.get("Initech quarterly business review").transcript_language, "ja");
  assert.equal(byTitle.get("Umbrella renewal check-in").transcript_language, "es");
  assert.ok(!byTitle.get("Acme x Globex partnership sync").calendar_invitees.some((i: Json) => i.email === SANDY));
  const negotiation = first.find((m) => m.title === "Globex contract negotiation");
  assert.ok(negotiation === undefined || negotiation.default_summary === null);
  const summary = await (await call(sandbox, `/external/v1/recordings/${byTitle.get("Globex contract negotiation").recording_id}/summary`, { headers: { "x-api-key": apiKey } })).json();
  assert.deepEqual(summary, { summary: null });
  // The newest meeting stays tidy: the quickest way into the product's demo is a complete Acme call.
  const acme = first[0];
  assert.equal(acme.title, "Acme Corp discovery call");
  assert.ok(acme.meeting_title && acme.default_summary && acme.transcript_language === "en");
});

Deno.test("POST /_sandbox/recordings takes the untidy cases; the API then serves them so", async () => {
  const { sandbox } = newSandbox({ now: Date.now, retryScheduleMs: [] });
  const apiKey = sandbox.createApiKey(SANDY);
  const res = await call(sandbox, "/_sandbox/recordings", postJson({
    user_email: SANDY, invitees: [], meeting_title: null, summary_ready: false, language: "es", deliver: false,
  }));
  assert.equal(res.status, 201);
  const { recording_id } = await res.json();
  const list = await (await call(sandbox, "/external/v1/meetings?include_summary=true&include_transcript=true", { headers: { "x-api-key": apiKey } })).json();
  const m = list.items.find((i: Json) => i.recording_id === recording_id);
  assert.deepEqual([m.meeting_title, m.calendar_invitees, m.default_summary, m.transcript_language], [null, [], null, "es"]);
  assert.match(m.title, /^Impromptu /);
  assert.match(m.transcript.map((t: Json) => t.text).join(" "), /gracias/i);
  for (const bad of [{ language: "Klingon!" }, { summary_ready: "no" }, { meeting_title: 3 }, { shared_with_team: "yes" }]) {
    const r = await call(sandbox, "/_sandbox/recordings", postJson(bad));
    assert.equal(r.status, 400, JSON.stringify(bad));
    await r.body?.cancel();
  }
});

Deno.test("a summary that is not ready is finished after summaryDelayMs (and by POST /_sandbox/summaries/ready)", async () => {
  const { sandbox } = newSandbox({ summaryDelayMs: 80 });
  const apiKey = sandbox.createApiKey(SANDY);
  const summaryOf = async (id: number) =>
    (await (await call(sandbox, `/external/v1/recordings/${id}/summary`, { headers: { "x-api-key": apiKey } })).json())
      .summary;
  const late = await sandbox.addRecording({ userEmail: SANDY, summaryReady: false, deliver: false });
  assert.equal(await summaryOf(late.recording_id), null, "not ready yet");
  await new Promise((r) => setTimeout(r, 120));
  assert.ok((await summaryOf(late.recording_id))?.markdown_formatted, "finished after the delay");

  const { sandbox: never } = newSandbox();
  const key = never.createApiKey(SANDY);
  const stuck = await never.addRecording({ userEmail: SANDY, summaryReady: false, deliver: false });
  const res = await call(never, "/_sandbox/summaries/ready", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ recording_ids: [stuck.recording_id] }),
  });
  assert.deepEqual(await res.json(), { finished: 1 });
  const body = await (await call(never, `/external/v1/recordings/${stuck.recording_id}/summary`, { headers: { "x-api-key": key } })).json();
  assert.ok(body.summary?.markdown_formatted);
});

Deno.test("internationalised invitee e-mails are accepted, in either Unicode form, as one address", async () => {
  const { sandbox } = newSandbox();
  const res = await call(sandbox, "/_sandbox/recordings", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_email: SANDY, deliver: false, invitees: [{ name: "Jörg", email: "Jo\u0308rg.Mu\u0308ller@bücher.example" }] }),
  });
  assert.equal(res.status, 201);
  const apiKey = sandbox.createApiKey(SANDY);
  const list = await (await call(sandbox, "/external/v1/meetings", { headers: { "x-api-key": apiKey } })).json();
  assert.ok(list.items[0].calendar_invitees.some((i: Json) => i.email === "jörg.müller@bücher.example"));
});
