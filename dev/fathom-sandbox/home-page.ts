// GET /: what the sandbox holds, and a button to simulate a new recording (which fires webhooks).

import type { SandboxContext } from "./context.ts";
import { escapeHtml, page } from "./html.ts";
import { deliveryView } from "./webhooks.ts";

export function homePage(ctx: SandboxContext): string {
  const users = [...ctx.store.users.values()];
  const meetingCounts = new Map<string, number>();
  for (const m of ctx.store.meetings.newestFirst()) {
    meetingCounts.set(m.recorderEmail, (meetingCounts.get(m.recorderEmail) ?? 0) + 1);
  }
  const userRows = users.map((u) =>
    `<tr><td>${escapeHtml(u.name)}</td><td>${escapeHtml(u.email)}</td><td>${escapeHtml(u.team ?? "")}</td><td>${meetingCounts.get(u.email) ?? 0}</td></tr>`
  ).join("");
  const webhookRows = [...ctx.store.webhooks.values()].map((w) =>
    `<tr><td><code>${escapeHtml(w.id)}</code></td><td>${escapeHtml(w.ownerEmail)}</td><td>${escapeHtml(w.url)}</td><td>${escapeHtml(w.triggeredFor.join(", "))}</td></tr>`
  ).join("") || `<tr><td colspan="4">No webhooks yet.</td></tr>`;
  const deliveryRows = ctx.store.deliveries.slice(-20).reverse().map(deliveryView).map((d) =>
    `<tr><td><code>${escapeHtml(d.message_id)}</code></td><td>${d.recording_id}</td><td>${escapeHtml(d.url)}</td><td>${escapeHtml(d.status ?? d.attempts.at(-1)?.error ?? "")}</td><td>${d.duration_ms ?? ""} ms</td></tr>`
  ).join("") || `<tr><td colspan="5">No deliveries yet.</td></tr>`;
  const userOptions = users.map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(u.name)} &lt;${escapeHtml(u.email)}&gt;</option>`).join("");
  const base = escapeHtml(ctx.options.publicUrl);

  return page("Fathom sandbox", `
<div class="card">
  <h1>Fathom sandbox</h1>
  <p>Point the app at <code>${base}</code>: authorize <code>${base}/external/v1/oauth2/authorize</code>,
     token <code>${base}/external/v1/oauth2/token</code>, API <code>${base}/external/v1</code>.</p>
  <p>${ctx.store.meetings.size} meetings, ${ctx.store.webhooks.size} webhooks, ${ctx.store.deliveries.length} deliveries.
     Controls: <code>/_sandbox/state</code>, <code>/_sandbox/requests</code>, <code>/_sandbox/webhook-deliveries</code>.</p>
</div>
<div class="card">
  <h2>Simulate a new recording</h2>
  <form method="post" action="/_sandbox/ui/simulate-recording">
    <p><label>Recorded by<br><select name="user_email">${userOptions}</select></label></p>
    <p><label>Title (optional)<br><input name="title" placeholder="e.g. Acme Corp follow-up"></label></p>
    <p><label>Attendees (optional, one per line: <code>Name &lt;email&gt;</code> or an e-mail; blank: invented)<br>
      <textarea name="attendees" rows="3" cols="40" placeholder="Jane Doe &lt;jane.doe@acme.example&gt;"></textarea></label></p>
    <button type="submit" class="primary">Simulate a new recording</button>
  </form>
</div>
<div class="card"><h2>Users</h2><table><tr><th>Name</th><th>E-mail</th><th>Team</th><th>Recorded</th></tr>${userRows}</table></div>
<div class="card"><h2>Webhooks</h2><table><tr><th>Id</th><th>Owner</th><th>Destination</th><th>Triggered for</th></tr>${webhookRows}</table></div>
<div class="card"><h2>Recent deliveries</h2><table><tr><th>Message</th><th>Recording</th><th>Destination</th><th>Status</th><th>Time</th></tr>${deliveryRows}</table></div>`);
}
