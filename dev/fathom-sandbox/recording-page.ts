// The page behind a meeting's url / share_url, so links in the product lead somewhere in dev.

import type { SandboxContext } from "./context.ts";
import { generateContent } from "./generator.ts";
import { escapeHtml, page } from "./html.ts";
import { recordingUrl, shareToken } from "./meeting-wire.ts";
import type { MeetingRecord } from "./store.ts";

export function findRecordingForPath(ctx: SandboxContext, pathname: string): MeetingRecord | undefined {
  const call = pathname.match(/^\/calls\/(\d{1,15})$/);
  if (call) return ctx.store.meetings.get(Number(call[1]));
  const share = pathname.match(/^\/share\/([a-z0-9]+)$/);
  if (share) return ctx.store.meetings.newestFirst().find((m) => shareToken(m.recordingId) === share[1]);
  return undefined;
}

export function recordingPage(ctx: SandboxContext, meeting: MeetingRecord): string {
  const content = generateContent(meeting, ctx.wire.lookupUser, recordingUrl(ctx.options.publicUrl, meeting.recordingId));
  const lines = content.transcript.map((t) =>
    `<tr><td><code>${escapeHtml(t.timestamp)}</code></td><th>${escapeHtml(t.speaker.display_name)}</th><td>${escapeHtml(t.text)}</td></tr>`
  ).join("");
  return page(`Fathom sandbox: ${meeting.title}`, `
<div class="card">
  <h1>${escapeHtml(meeting.title)}</h1>
  <p>Recording ${meeting.recordingId}, recorded by ${escapeHtml(meeting.recorderEmail)} on ${escapeHtml(new Date(meeting.recordingStartMs).toUTCString())}.</p>
  <pre style="white-space: pre-wrap">${escapeHtml(content.summary?.markdown_formatted ?? "The summary is not ready yet.")}</pre>
</div>
<div class="card"><h2>Transcript</h2><table>${lines}</table></div>`);
}
