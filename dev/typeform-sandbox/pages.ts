// HTML of the Typeform sandbox: the consent page, the error page for requests that cannot be sent back, and the
// provider page (authorizations, webhooks, deliveries, and "Simulate a submission" per form). Everything shown is
// escaped; no token or webhook secret is ever shown.

import { escapeHtml, hiddenInputs, pageShell } from "../sandbox/html.ts";
import { FORMS, TYPEFORM_PREFIX } from "./account.ts";
import type { Grant, StoredResponse, Webhook } from "./store.ts";
import type { SandboxMessage } from "../sandbox/provider.ts";

export const TYPEFORM_INK = "#262627";

function page(title: string, body: string): string {
  return pageShell({ title, brand: "Typeform sandbox", tagline: "A local stand-in for Typeform, not the real typeform.com", colour: TYPEFORM_INK, body });
}

export interface ConsentInput {
  params: Record<string, string | null>;
  clientId: string;
  scopes: string[];
}

export function consentPage(input: ConsentInput): string {
  const hidden = hiddenInputs(input.params);
  const scopes = input.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  return page(
    "Typeform sandbox: authorize",
    `<div class="card">
  <h1>The application <code>${escapeHtml(input.clientId)}</code> wants to access your Typeform account</h1>
  <ul>${scopes}</ul>
  <p>You will be sent back to <code>${escapeHtml(input.params.redirect_uri)}</code>.</p>
  <form method="post" action="${TYPEFORM_PREFIX}/oauth/authorize">
    ${hidden}
    <p>
      <button type="submit" name="decision" value="allow" class="primary">Accept</button>
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
    </p>
  </form>
</div>`,
  );
}

export function errorPage(message: string): string {
  return page("Typeform sandbox: invalid OAuth request", `<div class="card"><h1 class="error">Invalid OAuth request</h1><p>${escapeHtml(message)}</p></div>`);
}

export interface ProviderPageInput {
  publicUrl: string;
  grants: Grant[];
  webhooks: Webhook[];
  responses: StoredResponse[];
  deliveries: SandboxMessage[];
  /** a line to show after a simulated submission */
  notice: string | null;
}

function inputFor(field: (typeof FORMS)[number]["fields"][number], formId: string): string {
  const id = `${formId}-${field.id}`;
  const name = `field_${field.id}`;
  const label = `<label for="${escapeHtml(id)}">${escapeHtml(field.title)}</label><br>`;
  if (field.choices) {
    const options = field.choices.map((c) => `<option>${escapeHtml(c)}</option>`).join("");
    return `<p>${label}<select id="${escapeHtml(id)}" name="${escapeHtml(name)}"><option value=""></option>${options}</select></p>`;
  }
  if (field.type === "yes_no") return `<p><input type="checkbox" id="${escapeHtml(id)}" name="${escapeHtml(name)}" value="true" style="min-width:0"> <label for="${escapeHtml(id)}">${escapeHtml(field.title)}</label></p>`;
  const type = field.type === "email" ? "email" : field.type === "opinion_scale" ? "number" : "text";
  return `<p>${label}<input type="${type}" id="${escapeHtml(id)}" name="${escapeHtml(name)}"></p>`;
}

export function providerPage(input: ProviderPageInput): string {
  const base = `${input.publicUrl}${TYPEFORM_PREFIX}`;
  const grantRows = input.grants.map((g) =>
    `<tr><td>${escapeHtml(new Date(g.createdAtMs).toISOString())}</td><td>${escapeHtml(g.clientId)}</td><td><code>${escapeHtml(g.scopes.join(" "))}</code></td><td>${g.revoked ? "revoked" : "active"}</td></tr>`
  ).join("") || `<tr><td colspan="4">No authorizations yet.</td></tr>`;
  const hookRows = input.webhooks.map((h) =>
    `<tr><td>${escapeHtml(h.form_id)}</td><td>${escapeHtml(h.tag)}</td><td>${h.enabled ? "enabled" : "disabled"}</td><td>${h.secret ? "signed" : "unsigned"}</td></tr>`
  ).join("") || `<tr><td colspan="4">No webhooks yet.</td></tr>`;
  const deliveryRows = input.deliveries.slice(-50).reverse().map((d) => {
    const b = d.body as { tag?: string; status?: number | null; error?: string | null };
    return `<tr><td>${escapeHtml(d.at)}</td><td>${escapeHtml(d.channel ?? d.channel_id)}</td><td>${escapeHtml(b.tag)}</td><td>${escapeHtml(b.status ?? b.error)}</td></tr>`;
  }).join("") || `<tr><td colspan="4">Nothing delivered yet.</td></tr>`;
  const forms = FORMS.map((f) => {
    const count = input.responses.filter((r) => r.form_id === f.id).length;
    return `<div class="card">
  <h2>${escapeHtml(f.title)} <small><code>${escapeHtml(f.id)}</code>, ${count} responses</small></h2>
  <form method="post" action="${TYPEFORM_PREFIX}/_sandbox/simulate" aria-label="Simulate a submission of ${escapeHtml(f.title)}">
    <input type="hidden" name="form_id" value="${escapeHtml(f.id)}">
    ${f.fields.map((field) => inputFor(field, f.id)).join("\n    ")}
    <p><input type="checkbox" id="${escapeHtml(f.id)}-no-email" name="no_email" value="true" style="min-width:0"> <label for="${escapeHtml(f.id)}-no-email">Submit without an e-mail</label></p>
    <p><button type="submit" class="primary">Simulate a submission</button></p>
  </form>
</div>`;
  }).join("\n");
  return page(
    "Typeform sandbox",
    `<div class="card">
  <h1>Typeform sandbox</h1>
  ${input.notice ? `<p role="status">${escapeHtml(input.notice)}</p>` : ""}
  <p>Authorize <code>${escapeHtml(base)}/oauth/authorize</code>, token <code>${escapeHtml(base)}/oauth/token</code>, API <code>${escapeHtml(base)}</code>.</p>
  <p>Controls: <code>${TYPEFORM_PREFIX}/_sandbox/submit</code>, <code>${TYPEFORM_PREFIX}/_sandbox/messages</code>,
     <code>${TYPEFORM_PREFIX}/_sandbox/failures</code>. <a href="/">All sandboxes</a></p>
</div>
${forms}
<div class="card"><h2>Authorizations</h2><table><tr><th>Authorized</th><th>App</th><th>Scopes</th><th>Status</th></tr>${grantRows}</table></div>
<div class="card"><h2>Webhooks</h2><table><tr><th>Form</th><th>Tag</th><th>State</th><th>Signature</th></tr>${hookRows}</table></div>
<div class="card"><h2>Deliveries</h2><table><tr><th>At</th><th>Form</th><th>Tag</th><th>Answer</th></tr>${deliveryRows}</table></div>`,
  );
}
