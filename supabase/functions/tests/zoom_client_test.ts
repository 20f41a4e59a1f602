// The Zoom client against the Zoom sandbox, with tokens from a real sandbox grant stored as the engine stores them:
// recordings in a window with next_page_token pages, participants, the transcript download + WebVTT parse, a 401
// refreshed through the locked refresh (rotating refresh tokens), Zoom's 429 past the deadline -> RateLimitedUntil.
import assert from "node:assert/strict";
import { RateLimitedUntil, zoomClientFor } from "../_shared/zoom/client.ts";
import { decryptSecret, integrationAad } from "../_shared/crypto.ts";
import { handler } from "../zoom-webhook/handler.ts";
import { closeAll, sql, test } from "./helpers.ts";
import { dropTeam } from "./fathom_support.ts";
import { AVERY, sandboxZoomTeam, startZoomSandbox } from "./zoom_support.ts";

const zoom = startZoomSandbox(handler);

const connected = () => sandboxZoomTeam(zoom, { reset: false });

// the sandbox records a meeting an hour before now by default: between 00:00 and 01:00 UTC that is yesterday
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const recent = () => ({ from: day(-1), to: day(0) });

test("zoom client: recordings of a window page by next_page_token; participants; the transcript downloaded", async () => {
  const t = await connected();
  try {
    for (let i = 0; i < 3; i++) {
      await zoom.sandbox.simulate({ participants: ["jane.doe@customer.example"], topic: `Call ${i}`, deliver: false });
    }
    const client = zoomClientFor(t.integrationId);
    const seen = [];
    let next: string | null = null;
    do {
      const page = await client.listRecordings({ ...recent(), nextPageToken: next, pageSize: 2 });
      seen.push(...page.meetings);
      next = page.nextPageToken;
    } while (next);
    assert.deepEqual(seen.map((m) => m.topic).sort(), ["Call 0", "Call 1", "Call 2"]);

    const people = await client.participants(seen[0].uuid);
    assert.deepEqual(people.map((p) => p.email), [AVERY.email, "jane.doe@customer.example"]);
    const file = seen[0].recording_files.find((f) => f.file_type === "TRANSCRIPT")!;
    const vtt = await client.downloadText(file.download_url!);
    assert.match(vtt, /^WEBVTT/);
  } finally {
    await dropTeam(t.teamId);
  }
});

test("zoom client: an access token Zoom refuses is refreshed once under the lock; the rotated refresh token is kept", async () => {
  const t = await connected();
  try {
    const [before] = await sql`select refresh_token_encrypted from public.team_integrations where id = ${t.integrationId}`;
    // Zoom refuses the stored token once (401 {code: 124}); locally it is still valid for an hour
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, {
      method: "POST",
      body: JSON.stringify({ target: "api", kind: "gone" }),
    }));
    const page = await zoomClientFor(t.integrationId).listRecordings(recent());
    assert.ok(Array.isArray(page.meetings));
    const [after] = await sql`select refresh_token_encrypted from public.team_integrations where id = ${t.integrationId}`;
    const open = (v: string) => decryptSecret(v, integrationAad(t.teamId, "zoom", "refresh_token"));
    assert.notEqual(await open(after.refresh_token_encrypted), await open(before.refresh_token_encrypted), "rotated and stored");
  } finally {
    await dropTeam(t.teamId);
  }
});

test("zoom client: Zoom's 429 beyond the caller's deadline is RateLimitedUntil (a step pauses, it does not spin)", async () => {
  const t = await connected();
  try {
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, {
      method: "POST",
      body: JSON.stringify({ target: "api", kind: "rate_limited", retryAfterSeconds: 30 }),
    }));
    await assert.rejects(
      zoomClientFor(t.integrationId, { deadline: Date.now() + 2_000 }).listRecordings(recent()),
      (err) => err instanceof RateLimitedUntil && err.until > Date.now() + 20_000,
    );
  } finally {
    await zoom.sandbox.handler(new Request(`${zoom.base}/zoom/_sandbox/failures`, { method: "DELETE" }));
    await dropTeam(t.teamId);
  }
});

test("cleanup: zoom client tests", async () => {
  await zoom.close();
  await closeAll();
});
