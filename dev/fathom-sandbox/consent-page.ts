// HTML of the authorization step. Every interpolated value is escaped: it comes straight from the URL.

import { escapeHtml, page } from "./html.ts";
import type { SandboxUser } from "./store.ts";

export const AUTHORIZE_PATH = "/external/v1/oauth2/authorize";

export interface ConsentPageInput {
  clientId: string;
  redirectUri: string;
  state: string | null;
  scope: string;
  responseType: string;
  users: readonly SandboxUser[];
  defaultEmail: string;
}

export function consentPage(input: ConsentPageInput): string {
  const hidden = (name: string, value: string | null) =>
    value === null ? "" : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const options = input.users
    .map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(u.name)}</option>`)
    .join("");
  return page(
    "Fathom sandbox: authorize app",
    `<div class="card">
  <h1>Authorize access to your Fathom account</h1>
  <p>The app <code>${escapeHtml(input.clientId)}</code> is asking for the scope <code>public_api</code>
     (access to the Fathom API: your meetings, transcripts, summaries and webhooks).</p>
  <p>You will be sent back to <code>${escapeHtml(input.redirectUri)}</code>.</p>
  <form method="post" action="${AUTHORIZE_PATH}">
    ${hidden("client_id", input.clientId)}
    ${hidden("redirect_uri", input.redirectUri)}
    ${hidden("state", input.state)}
    ${hidden("scope", input.scope)}
    ${hidden("response_type", input.responseType)}
    <p>
      <label for="user_email">Sign in to the sandbox as</label><br>
      <input id="user_email" name="user_email" type="email" list="sandbox-users" required
             value="${escapeHtml(input.defaultEmail)}">
      <datalist id="sandbox-users">${options}</datalist><br>
      <small>Pick a seeded user or type any e-mail to create that sandbox user.</small>
    </p>
    <p>
      <button type="submit" name="decision" value="allow" class="primary">Authorize</button>
      <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
    </p>
  </form>
</div>`,
  );
}

/** Shown instead of redirecting when the redirect target itself cannot be trusted (RFC 6749 §4.1.2.1). */
export function authorizeErrorPage(message: string, details: Record<string, string | null> = {}): string {
  const rows = Object.entries(details)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v ?? "(missing)")}</code></td></tr>`)
    .join("");
  return page(
    "Fathom sandbox: authorization error",
    `<div class="card">
  <h1 class="error">Authorization error</h1>
  <p>${escapeHtml(message)}</p>
  ${rows ? `<table>${rows}</table>` : ""}
</div>`,
  );
}
