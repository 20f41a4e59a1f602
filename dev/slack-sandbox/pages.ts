// HTML of the Slack sandbox: the consent page with its channel picker, the error page Slack shows instead of
// redirecting, and the provider page (installations, posted messages, revocations). Everything shown is escaped.

import { escapeHtml, pageShell } from "../sandbox/html.ts";
import type { SandboxMessage, SandboxRevocation } from "../sandbox/provider.ts";
import type { Grant, Webhook } from "./store.ts";
import { CHANNELS, SLACK_PREFIX, WORKSPACE } from "./workspace.ts";

export const SLACK_AUBERGINE = "#4A154B";

function page(title: string, body: string): string {
  return pageShell({ title, brand: "Slack sandbox", tagline: "A local stand-in for Slack, not the real slack.com", colour: SLACK_AUBERGINE, body });
}

export interface ConsentInput {
  clientId: string;
  redirectUri: string | null;
  state: string | null;
  scope: string;
  userScope: string | null;
  /** Show the "Post to" picker (the incoming-webhook scope was asked for). */
  picksChannel: boolean;
}

export function consentPage(input: ConsentInput): string {
  const hidden = (name: string, value: string | null) =>
    value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const options = CHANNELS.map((c, i) => `<option value="${escapeHtml(c.id)}"${i === 1 ? " selected" : ""}>${escapeHtml(c.name)}</option>`).join("");
  const picker = input.picksChannel
    ? `<p><label for="channel_id">Post to</label><br><select id="channel_id" name="channel_id">${options}</select></p>`
    : "";
  return page(
    "Slack sandbox: install app",
    `<div class="card">
  <h1>The app <code>${escapeHtml(input.clientId)}</code> is requesting permission to access the ${escapeHtml(WORKSPACE.name)} Slack workspace</h1>
  <p>Scopes: <code>${escapeHtml(input.scope)}</code>${input.userScope ? `, user scopes: <code>${escapeHtml(input.userScope)}</code>` : ""}</p>
  ${input.redirectUri ? `<p>You will be sent back to <code>${escapeHtml(input.redirectUri)}</code>.</p>` : ""}
  <form method="post" action="${SLACK_PREFIX}/oauth/v2/authorize">
    ${hidden("client_id", input.clientId)}
    ${hidden("redirect_uri", input.redirectUri)}
    ${hidden("state", input.state)}
    ${hidden("scope", input.scope)}
    ${hidden("user_scope", input.userScope)}
    ${picker}
    <p>
      <button type="submit" name="decision" value="allow" class="primary">Allow</button>
      <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
    </p>
  </form>
</div>`,
  );
}

/** Slack shows an error page (no redirect) for a bad client_id, scope or redirect_uri. */
export function errorPage(code: string, message: string): string {
  return page(
    "Slack sandbox: something went wrong",
    `<div class="card">
  <h1 class="error">Something went wrong when authorizing this app</h1>
  <p>${escapeHtml(message)}</p>
  <p>Error code: <code>${escapeHtml(code)}</code></p>
</div>`,
  );
}

export interface ProviderPageInput {
  publicUrl: string;
  tokenRotation: boolean;
  grants: Grant[];
  webhooks: Map<string, Webhook>;
  messages: SandboxMessage[];
  revocations: SandboxRevocation[];
}

function textOf(body: unknown): string {
  const text = (body as { text?: unknown })?.text;
  return typeof text === "string" ? text : JSON.stringify(body);
}

/** GET /slack/: installations (no tokens or webhook secrets), the newest 50 messages and the revocations. */
export function providerPage(input: ProviderPageInput): string {
  const base = `${input.publicUrl}${SLACK_PREFIX}`;
  const grantRows = input.grants.map((g) => {
    const hook = g.webhookId ? input.webhooks.get(g.webhookId) : undefined;
    return `<tr><td>${escapeHtml(new Date(g.createdAtMs).toISOString())}</td><td>${escapeHtml(g.clientId)}</td><td><code>${escapeHtml(g.scopes.join(","))}</code></td><td>${escapeHtml(hook?.channel ?? "")}</td><td>${g.revoked ? "revoked" : "active"}</td></tr>`;
  }).join("") || `<tr><td colspan="5">No installations yet.</td></tr>`;
  const messageRows = input.messages.slice(-50).reverse().map((m) =>
    `<tr><td>${escapeHtml(m.at)}</td><td>${escapeHtml(m.channel ?? m.channel_id)}</td><td>${escapeHtml(textOf(m.body))}</td></tr>`
  ).join("") || `<tr><td colspan="3">Nothing posted yet.</td></tr>`;
  const revocationRows = input.revocations.slice().reverse().map((r) =>
    `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.kind)}</td></tr>`
  ).join("") || `<tr><td colspan="2">No revocations yet.</td></tr>`;
  return page(
    "Slack sandbox",
    `<div class="card">
  <h1>Slack sandbox: ${escapeHtml(WORKSPACE.name)}</h1>
  <p>Authorize <code>${escapeHtml(base)}/oauth/v2/authorize</code>, token <code>${escapeHtml(base)}/api/oauth.v2.access</code>,
     API <code>${escapeHtml(base)}/api</code>. Token rotation is <strong>${input.tokenRotation ? "on" : "off"}</strong>.</p>
  <p>Controls: <code>${SLACK_PREFIX}/_sandbox/messages</code>, <code>${SLACK_PREFIX}/_sandbox/revocations</code>,
     <code>${SLACK_PREFIX}/_sandbox/failures</code>, <code>${SLACK_PREFIX}/_sandbox/settings</code>. <a href="/">All sandboxes</a></p>
</div>
<div class="card"><h2>Installations</h2><table><tr><th>Installed</th><th>App</th><th>Scopes</th><th>Posts to</th><th>Status</th></tr>${grantRows}</table></div>
<div class="card"><h2>Posted messages</h2><table><tr><th>At</th><th>Channel</th><th>Text</th></tr>${messageRows}</table></div>
<div class="card"><h2>Revocations</h2><table><tr><th>At</th><th>Kind</th></tr>${revocationRows}</table></div>`,
  );
}
