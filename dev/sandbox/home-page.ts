// GET /: the family's one home page, linking to each provider's own page.

import { escapeHtml, pageShell } from "./html.ts";
import type { ProviderSandbox } from "./provider.ts";

export interface FathomSummary {
  meetings: number;
  webhooks: number;
  active_grants: number;
}

export function homePage(publicUrl: string, fathom: FathomSummary | null, providers: readonly ProviderSandbox[]): string {
  const rows = providers.map((p) => {
    const s = p.summary();
    return `<tr><td><a href="${escapeHtml(p.prefix)}/">${escapeHtml(p.name)}</a></td><td><code>${escapeHtml(publicUrl + p.prefix)}</code></td><td>${s.activeGrants} active of ${s.grants}</td><td>${s.messages} messages posted, ${s.revocations} revocations</td></tr>`;
  }).join("");
  const fathomRow = fathom
    ? `<tr><td><a href="/fathom/">Fathom</a></td><td><code>${escapeHtml(publicUrl)}/external/v1</code></td><td>${fathom.active_grants} active</td><td>${fathom.meetings} meetings, ${fathom.webhooks} webhooks</td></tr>`
    : "";
  return pageShell({
    title: "Sandboxes",
    brand: "Provider sandboxes",
    tagline: "Local stand-ins for Fathom, Slack, Discord, Zoom and Typeform, not the real services",
    colour: "#334155",
    body: `<div class="card">
  <h1>Provider sandboxes</h1>
  <p>One process serves every stand-in on <code>${escapeHtml(publicUrl)}</code>. Each page lists its grants, what was posted and what was revoked.</p>
  <table><tr><th>Provider</th><th>Base URL</th><th>Grants</th><th>Activity</th></tr>${fathomRow}${rows}</table>
</div>`,
  });
}
