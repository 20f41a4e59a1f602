// Slack Web API methods the product calls with a token: auth.test (who am I) and auth.revoke. Like every Web API
// method they answer HTTP 200 with {"ok": false, "error"} on failure (not_authed, invalid_auth, token_expired).

import { bearerToken, json, readForm } from "../sandbox/http.ts";
import type { SlackContext } from "./context.ts";
import { slackOutage } from "./oauth.ts";
import type { Grant } from "./store.ts";
import { BOT_USER_ID, INSTALLER, WORKSPACE } from "./workspace.ts";

type Resolved = { ok: true; token: string; grant: Grant; kind: "bot" | "user" } | { ok: false; error: string };

/** The token from `Authorization: Bearer` or the form's `token`, checked against the store. */
function resolveToken(ctx: SlackContext, req: Request, form: URLSearchParams): Resolved {
  const token = bearerToken(req) ?? form.get("token");
  if (!token) return { ok: false, error: "not_authed" };
  const entry = ctx.store.accessTokens.get(token);
  const grant = entry && ctx.store.grants.get(entry.grantId);
  if (!entry || !grant) return { ok: false, error: "invalid_auth" };
  if (grant.revoked) return { ok: false, error: "token_revoked" };
  if (entry.expiresAtMs !== null && entry.expiresAtMs <= ctx.now()) return { ok: false, error: "token_expired" };
  return { ok: true, token, grant, kind: entry.kind };
}

export async function handleAuthTest(ctx: SlackContext, req: Request): Promise<Response> {
  const resolved = resolveToken(ctx, req, await readForm(req));
  if (!resolved.ok) return json({ ok: false, error: resolved.error });
  return json({
    ok: true,
    url: `https://${WORKSPACE.domain}.slack.com/`,
    team: WORKSPACE.name,
    user: resolved.kind === "bot" ? "team_crm" : INSTALLER.name,
    team_id: WORKSPACE.id,
    user_id: resolved.kind === "bot" ? BOT_USER_ID : INSTALLER.id,
    ...(resolved.kind === "bot" ? { bot_id: "B0CRMBOT01" } : {}),
    is_enterprise_install: false,
  });
}

/**
 * auth.revoke: the installation's tokens stop working and its incoming webhook is disabled (issue 9 contract).
 * `test=1` is Slack's dry run: {"ok": true, "revoked": false}. Bad token: {"ok": false, "error": "invalid_auth"}.
 */
export async function handleAuthRevoke(ctx: SlackContext, req: Request): Promise<Response> {
  const form = await readForm(req);
  const outage = await slackOutage(ctx.failures.take("revoke"), "invalid_auth");
  if (outage) return outage;
  const resolved = resolveToken(ctx, req, form);
  // Slack tells a missing token from a bad one; revoked or expired tokens cannot revoke anything either.
  if (!resolved.ok) return json({ ok: false, error: resolved.error === "not_authed" ? "not_authed" : "invalid_auth" });
  if (form.get("test") === "1" || form.get("test") === "true") return json({ ok: true, revoked: false });
  revokeGrant(ctx, resolved.grant);
  ctx.store.revocations.push({ at: new Date(ctx.now()).toISOString(), kind: "auth.revoke" });
  return json({ ok: true, revoked: true });
}

function revokeGrant(ctx: SlackContext, grant: Grant): void {
  // The tokens stay known, so later calls answer token_revoked rather than invalid_auth, as Slack does.
  grant.revoked = true;
  for (const entry of ctx.store.refreshTokens.values()) if (entry.grantId === grant.id) entry.used = true;
  const hook = grant.webhookId ? ctx.store.webhooks.get(grant.webhookId) : undefined;
  if (hook) hook.active = false;
}
