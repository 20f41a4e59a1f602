// HTML of the Discord sandbox: the consent page with its channel picker, the error page for requests that cannot
// be sent back, and the provider page (authorizations, posted messages, revocations). Everything shown is escaped.

import { escapeHtml, hiddenInputs, pageShell } from "../sandbox/html.ts";
import type { SandboxMessage, SandboxRevocation } from "../sandbox/provider.ts";
import type { Grant, Webhook } from "./store.ts";
import { CHANNELS, DISCORD_PREFIX, GUILD } from "./guild.ts";

export const DISCORD_BLURPLE = "#5865F2";

function page(title: string, body: string): string {
  return pageShell({ title, brand: "Discord sandbox", tagline: "A local stand-in for Discord, not the real discord.com", colour: DISCORD_BLURPLE, body });
}

export interface ConsentInput {
  params: Record<string, string | null>;
  clientId: string;
  scope: string;
  picksChannel: boolean;
}

export function consentPage(input: ConsentInput): string {
  const hidden = hiddenInputs(input.params);
  const options = CHANNELS.map((c, i) => `<option value="${escapeHtml(c.id)}"${i === 1 ? " selected" : ""}>${escapeHtml(c.name)}</option>`).join("");
  const picker = input.picksChannel
    ? `<p>Server: <strong>${escapeHtml(GUILD.name)}</strong></p>
    <p><label for="channel_id">Channel</label><br><select id="channel_id" name="channel_id">${options}</select></p>`
    : "";
  return page(
    "Discord sandbox: authorize",
    `<div class="card">
  <h1>An external application <code>${escapeHtml(input.clientId)}</code> wants to access your Discord account</h1>
  <p>Scopes: <code>${escapeHtml(input.scope)}</code></p>
  <p>You will be sent back to <code>${escapeHtml(input.params.redirect_uri)}</code>.</p>
  <form method="post" action="${DISCORD_PREFIX}/oauth2/authorize">
    ${hidden}
    ${picker}
    <p>
      <button type="submit" name="decision" value="allow" class="primary">Authorize</button>
      <button type="submit" name="decision" value="deny" class="secondary">Cancel</button>
    </p>
  </form>
</div>`,
  );
}

export function errorPage(message: string): string {
  return page(
    "Discord sandbox: invalid OAuth2 request",
    `<div class="card">
  <h1 class="error">Invalid OAuth2 request</h1>
  <p>${escapeHtml(message)}</p>
</div>`,
  );
}

export interface ProviderPageInput {
  publicUrl: string;
  grants: Grant[];
  webhooks: Map<string, Webhook>;
  messages: SandboxMessage[];
  revocations: SandboxRevocation[];
}

function textOf(body: unknown): string {
  const b = body as { content?: unknown; embeds?: { title?: unknown }[] };
  if (typeof b?.content === "string" && b.content) return b.content;
  const title = b?.embeds?.[0]?.title;
  return typeof title === "string" ? `[embed] ${title}` : JSON.stringify(body);
}

/** GET /discord/: authorizations (no tokens or webhook tokens), the newest 50 messages and the revocations. */
export function providerPage(input: ProviderPageInput): string {
  const base = `${input.publicUrl}${DISCORD_PREFIX}`;
  const grantRows = input.grants.map((g) => {
    const hook = g.webhookId ? input.webhooks.get(g.webhookId) : undefined;
    const hookState = hook ? `${hook.channel}${hook.deleted ? " (webhook deleted)" : ""}` : "";
    return `<tr><td>${escapeHtml(new Date(g.createdAtMs).toISOString())}</td><td>${escapeHtml(g.clientId)}</td><td><code>${escapeHtml(g.scopes.join(" "))}</code></td><td>${escapeHtml(hookState)}</td><td>${g.revoked ? "revoked" : "active"}</td></tr>`;
  }).join("") || `<tr><td colspan="5">No authorizations yet.</td></tr>`;
  const messageRows = input.messages.slice(-50).reverse().map((m) =>
    `<tr><td>${escapeHtml(m.at)}</td><td>${escapeHtml(m.channel ?? m.channel_id)}</td><td>${escapeHtml(textOf(m.body))}</td></tr>`
  ).join("") || `<tr><td colspan="3">Nothing posted yet.</td></tr>`;
  const revocationRows = input.revocations.slice().reverse().map((r) =>
    `<tr><td>${escapeHtml(r.at)}</td><td>${escapeHtml(r.kind)}</td></tr>`
  ).join("") || `<tr><td colspan="2">No revocations yet.</td></tr>`;
  return page(
    "Discord sandbox",
    `<div class="card">
  <h1>Discord sandbox: ${escapeHtml(GUILD.name)}</h1>
  <p>Authorize <code>${escapeHtml(base)}/oauth2/authorize</code>, token <code>${escapeHtml(base)}/api/oauth2/token</code>,
     API <code>${escapeHtml(base)}/api/v10</code>.</p>
  <p>Controls: <code>${DISCORD_PREFIX}/_sandbox/messages</code>, <code>${DISCORD_PREFIX}/_sandbox/revocations</code>,
     <code>${DISCORD_PREFIX}/_sandbox/failures</code>. <a href="/">All sandboxes</a></p>
</div>
<div class="card"><h2>Authorizations</h2><table><tr><th>Authorized</th><th>App</th><th>Scopes</th><th>Webhook channel</th><th>Status</th></tr>${grantRows}</table></div>
<div class="card"><h2>Posted messages</h2><table><tr><th>At</th><th>Channel</th><th>Content</th></tr>${messageRows}</table></div>
<div class="card"><h2>Revocations</h2><table><tr><th>At</th><th>Kind</th></tr>${revocationRows}</table></div>`,
  );
}
