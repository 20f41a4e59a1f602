// HTML of the Zoom sandbox: the consent page with its account/user picker, the error page for requests that cannot
// be sent back, and the provider page (grants, the "simulate a recorded meeting" form, meetings, deliveries,
// revocations). Everything shown is escaped.

import { escapeHtml, hiddenInputs, pageShell } from "../sandbox/html.ts";
import type { SandboxRevocation } from "../sandbox/provider.ts";
import { USERS, ZOOM_PREFIX } from "./account.ts";
import type { Delivery, Grant, Meeting, Settings } from "./store.ts";

export const ZOOM_BLUE = "#0B5CFF";

function page(title: string, body: string): string {
  return pageShell({ title, brand: "Zoom sandbox", tagline: "A local stand-in for Zoom, not the real zoom.us", colour: ZOOM_BLUE, body });
}

export interface ConsentInput {
  params: Record<string, string | null>;
  clientId: string;
  scopes: string[];
}

export function consentPage(input: ConsentInput): string {
  const hidden = hiddenInputs(input.params);
  const options = USERS.map((u, i) =>
    `<option value="${escapeHtml(u.id)}"${i === 0 ? " selected" : ""}>${escapeHtml(`${u.first_name} ${u.last_name} <${u.email}> (${u.account_name})`)}</option>`
  ).join("");
  return page(
    "Zoom sandbox: authorize",
    `<div class="card">
  <h1>The app <code>${escapeHtml(input.clientId)}</code> would like to access your Zoom account</h1>
  <p>It will be able to: <code>${escapeHtml(input.scopes.join(", "))}</code></p>
  <p>You will be sent back to <code>${escapeHtml(input.params.redirect_uri)}</code>.</p>
  <form method="post" action="${ZOOM_PREFIX}/oauth/authorize">
    ${hidden}
    <p><label for="user_id">Sign in as</label><br><select id="user_id" name="user_id">${options}</select></p>
    <p>
      <button type="submit" name="decision" value="allow" class="primary">Allow</button>
      <button type="submit" name="decision" value="deny" class="secondary">Decline</button>
    </p>
  </form>
</div>`,
  );
}

export function errorPage(message: string): string {
  return page("Zoom sandbox: invalid request", `<div class="card"><h1 class="error">Invalid OAuth request</h1><p>${escapeHtml(message)}</p></div>`);
}

export interface ProviderPageInput {
  grants: Grant[];
  meetings: Meeting[];
  deliveries: Delivery[];
  revocations: SandboxRevocation[];
  settings: Settings;
  notice: string | null;
}

/** GET /zoom/: grants (no tokens), the simulate form, the newest meetings, deliveries and revocations. */
export function providerPage(input: ProviderPageInput): string {
  const grantRows = input.grants.map((g) => {
    const user = USERS.find((u) => u.id === g.userId);
    return `<tr><td>${escapeHtml(new Date(g.createdAtMs).toISOString())}</td><td>${escapeHtml(user?.email ?? g.userId)}</td><td><code>${escapeHtml(g.scopes.join(" "))}</code></td><td>${g.revoked ? "revoked" : "active"}</td></tr>`;
  }).join("");
  const hosts = USERS.map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(`${u.first_name} ${u.last_name} (${u.account_name})`)}</option>`).join("");
  const meetingRows = input.meetings.slice(-50).reverse().map((m) => {
    const transcript = m.files.some((f) => f.file_type === "TRANSCRIPT") ? "yes" : m.pendingTranscript !== null
      ? `<form method="post" action="${ZOOM_PREFIX}/_sandbox/recordings/${encodeURIComponent(m.uuid)}/transcript"><button class="secondary" type="submit">Complete transcript</button></form>`
      : "no";
    return `<tr><td>${escapeHtml(m.start_time)}</td><td>${escapeHtml(m.topic)}</td><td>${escapeHtml(m.host_email)}</td><td>${escapeHtml(m.participants.map((p) => p.email).join(", "))}</td><td>${transcript}</td></tr>`;
  }).join("");
  const deliveryRows = input.deliveries.slice(-50).reverse().map((d) =>
    `<tr><td>${escapeHtml(d.at)}</td><td>${escapeHtml(d.event)}</td><td>${escapeHtml(d.status ?? "no answer")}</td><td>${d.ok ? "ok" : `<span class="error">${escapeHtml(d.error ?? "failed")}</span>`}</td></tr>`
  ).join("");
  const revocationRows = input.revocations.map((r) => `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.kind)}</td></tr>`).join("");
  return page(
    "Zoom sandbox",
    `${input.notice ? `<div class="card" role="status">${escapeHtml(input.notice)}</div>` : ""}
<div class="card"><h1>Zoom sandbox</h1>
  <p>Events go to <code>${escapeHtml(input.settings.webhookUrl ?? "(no endpoint configured)")}</code>${input.settings.validatedUrl === input.settings.webhookUrl && input.settings.webhookUrl ? " (validated)" : ""}.</p></div>
<div class="card"><h2>Simulate a recorded meeting</h2>
  <form method="post" action="${ZOOM_PREFIX}/_sandbox/simulate">
    <p><label for="hostId">Host</label><br><select id="hostId" name="hostId">${hosts}</select></p>
    <p><label for="topic">Topic</label><br><input id="topic" name="topic" placeholder="Call with a prospect"></p>
    <p><label for="participants">Participants' e-mails (comma-separated)</label><br><input id="participants" name="participants" placeholder="jane@customer.example"></p>
    <p><label for="transcript">Transcript</label><br><select id="transcript" name="transcript"><option value="now">with the recording</option><option value="later">later (its own event)</option><option value="none">none</option></select></p>
    <p><button type="submit" class="primary">Record the meeting</button></p>
  </form></div>
<div class="card"><h2>Grants</h2><table><tr><th>At</th><th>User</th><th>Scopes</th><th>State</th></tr>${grantRows}</table></div>
<div class="card"><h2>Recorded meetings</h2><table><tr><th>Start</th><th>Topic</th><th>Host</th><th>Participants</th><th>Transcript</th></tr>${meetingRows}</table></div>
<div class="card"><h2>Deliveries</h2><table><tr><th>At</th><th>Event</th><th>Status</th><th>Result</th></tr>${deliveryRows}</table></div>
<div class="card"><h2>Revocations</h2><table><tr><th>At</th><th>Kind</th></tr>${revocationRows}</table></div>`,
  );
}
