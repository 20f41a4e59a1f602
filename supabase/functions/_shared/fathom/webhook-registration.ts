// The team's Fathom webhook: created after a connect (and retried by a later sync when that failed), deleted before
// a disconnect and, on a reconnect, before the old account's tokens are replaced. Each integration gets its own
// unguessable route id in the destination URL (design.md: route deliveries by an id we chose, verify with that
// integration's secret), and the secret is stored AES-GCM encrypted, bound to the row and purpose. Nothing here
// ever fails a connection or a disconnect: failures are recorded (integration_events, and a warning the team sees)
// and logged.
import { encryptSecret, integrationAad, randomToken } from "../crypto.ts";
import { asService, type Tx } from "../db.ts";
import { supabaseUrl } from "../env.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { type CreateWebhookInput, type FathomClient, FathomApiError, RateLimitedUntil } from "./client.ts";

type Trigger = CreateWebhookInput["triggered_for"][number];

/**
 * Every documented trigger (fathom-api.md §4.1): the connected account's own recordings, what others share with it,
 * and (Team plans) what it and its team share with the team. The account decides what arrives; a team that wants
 * fewer meetings connects an account that sees fewer.
 */
export const ALL_TRIGGERS: Trigger[] = [
  "my_recordings",
  "shared_external_recordings",
  "my_shared_with_team_recordings",
  "shared_team_recordings",
];
/** What every plan accepts; used when Fathom refuses the Team-plan values (that refusal is not documented). */
export const BASIC_TRIGGERS: Trigger[] = ["my_recordings", "shared_external_recordings"];

export function webhookDestination(routeId: string): string {
  return `${supabaseUrl()}/functions/v1/fathom-webhook/${routeId}`;
}

export function webhookRequest(routeId: string, triggers: Trigger[] = ALL_TRIGGERS): CreateWebhookInput {
  return {
    destination_url: webhookDestination(routeId),
    triggered_for: [...triggers],
    include_transcript: true,
    include_summary: true,
    include_action_items: true,
    include_crm_matches: false,
  };
}

interface WebhookState {
  team_id: string;
  webhook_id: string | null;
}

/** A 4xx that is Fathom refusing the request body (not auth, not the rate limit: the client handled those). */
function refusedBody(err: unknown): err is FathomApiError {
  return err instanceof FathomApiError && err.status >= 400 && err.status < 500 &&
    ![401, 404, 408, 429].includes(err.status);
}

/**
 * POST /webhooks with every trigger; when Fathom refuses that with a 4xx (Team-plan values on another plan), once
 * more with the basic two. Returns the webhook and the triggers it was accepted with.
 */
async function createWithTriggers(client: FathomClient, routeId: string) {
  try {
    return { webhook: await client.createWebhook(webhookRequest(routeId, ALL_TRIGGERS)), triggers: ALL_TRIGGERS, refused: null };
  } catch (err) {
    if (!refusedBody(err)) throw err;
    const webhook = await client.createWebhook(webhookRequest(routeId, BASIC_TRIGGERS));
    return { webhook, triggers: BASIC_TRIGGERS, refused: err.status };
  }
}

async function loadState(integrationId: string): Promise<WebhookState | null> {
  const rows = await asService((tx) =>
    tx<WebhookState[]>`select team_id, webhook_id from public.team_integrations where id = ${integrationId}`
  );
  return rows[0] ?? null;
}

/**
 * Make sure the integration has a webhook. `replace`: delete an existing one first (a reconnect: the old webhook may
 * belong to another Fathom account or point at an old URL). Returns true when a webhook is registered afterwards.
 */
export async function ensureWebhook(
  client: FathomClient,
  integrationId: string,
  opts: { replace?: boolean } = {},
): Promise<boolean> {
  const state = await loadState(integrationId);
  if (!state) return false;
  if (state.webhook_id && !opts.replace) return true;
  if (state.webhook_id) {
    // Normally cleared already (beforeReplace deletes the old account's webhook with its own tokens); this is the
    // fallback when that did not run.
    try {
      await client.deleteWebhook(state.webhook_id);
    } catch (err) {
      logError("fathom webhook deletion before re-registration", err);
    }
  }

  const routeId = randomToken(32);
  try {
    const { webhook, triggers, refused } = await createWithTriggers(client, routeId);
    const secret = await encryptSecret(webhook.secret, integrationAad(state.team_id, "fathom", "webhook_secret"));
    await asService(async (tx) => {
      await tx`update public.team_integrations
                  set webhook_id = ${webhook.id}, webhook_secret_encrypted = ${secret}, webhook_route_id = ${routeId},
                      webhook_triggers = ${triggers}::text[]
                where id = ${integrationId}`;
      if (refused !== null) {
        await recordEvent(tx, state.team_id, integrationId, "fathom.webhook.triggers_reduced", {
          requested: ALL_TRIGGERS,
          active: triggers,
          error: `http_${refused}`,
        });
      }
    });
    return true;
  } catch (err) {
    logError("fathom webhook registration", err);
    const code = err instanceof FathomApiError ? `http_${err.status}` : "error";
    await asService(async (tx) => {
      // The connection itself works (the backfill does not need the webhook), so the integration's status and
      // last_error stay as they are; the missing webhook shows as webhook_id null plus this event, and the next
      // sync retries.
      await clearWebhookColumns(tx, integrationId);
      await recordEvent(tx, state.team_id, integrationId, "fathom.webhook.registration_failed", { error: code });
    }).catch((e) => logError("fathom webhook registration: recording the failure", e));
    return false;
  }
}

async function clearWebhookColumns(tx: Tx, integrationId: string): Promise<void> {
  await tx`update public.team_integrations
              set webhook_id = null, webhook_secret_encrypted = null, webhook_route_id = null, webhook_triggers = null
            where id = ${integrationId}`;
}

async function recordEvent(
  tx: Tx,
  teamId: string,
  integrationId: string,
  type: string,
  payload: Record<string, string | string[]>,
) {
  await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type, subject_id,
                                                  payload)
           values (${teamId}, ${integrationId}, 'fathom', ${type}, 'integration', ${integrationId}, ${tx.json(payload)})`;
}

/** What the team is told when something was left behind. `at`: ISO 8601. The message is ours, never Fathom's. */
export interface IntegrationWarning {
  code: "webhook_cleanup_failed";
  message: string;
  at: string;
}

/** Why a cleanup failed, as a short code for the event (never a token, an id or provider text). */
function failureReason(err: unknown): string {
  if (err instanceof RateLimitedUntil) return "rate_limited";
  if (err instanceof FathomApiError) return err.status === 0 ? "unreachable" : `http_${err.status}`;
  if (err instanceof AppError) return err.code; // needs_reauth, provider_unavailable, not_connected, ...
  return "error";
}

const CLEANUP_MESSAGES = {
  disconnect: "Fathom was disconnected, but its webhook could not be removed at Fathom, so Fathom may keep " +
    "sending new recordings to this CRM (they are ignored). Remove the webhook in Fathom under Settings > " +
    "API Access > Manage.",
  reconnect: "The webhook of the previously connected Fathom account could not be removed, so that account may " +
    "keep sending new recordings to this CRM (they are ignored). Remove it in that account's Fathom settings " +
    "under API Access > Manage.",
} as const;

/**
 * Delete the integration's webhook at Fathom with `client` (the tokens of the account that owns it; the client
 * refreshes once after a 401) and forget it locally, whatever happened: a webhook we cannot delete is not ours to
 * keep. On failure, records a `fathom.webhook.cleanup_failed` event `{ when, reason }` and, for a reconnect, sets
 * the row's `warning`; a clean reconnect clears an older warning. Never throws for Fathom's sake.
 * Returns null when all was cleaned (or there was no webhook), else the warning to show.
 */
export async function cleanUpWebhook(
  client: FathomClient,
  integrationId: string,
  when: "disconnect" | "reconnect",
): Promise<IntegrationWarning | null> {
  const state = await loadState(integrationId);
  if (!state?.webhook_id) return null;
  let reason: string | null = null;
  try {
    await client.deleteWebhook(state.webhook_id); // a 404 means it is already gone: clean
  } catch (err) {
    logError(`fathom webhook cleanup (${when})`, err);
    reason = failureReason(err);
  }
  const warning: IntegrationWarning | null = reason === null
    ? null
    : { code: "webhook_cleanup_failed", message: CLEANUP_MESSAGES[when], at: new Date().toISOString() };
  await asService(async (tx) => {
    await clearWebhookColumns(tx, integrationId);
    if (when === "reconnect") {
      await tx`update public.team_integrations set warning = ${warning === null ? null : tx.json({ ...warning })}
                where id = ${integrationId}`;
    }
    if (reason !== null) {
      await recordEvent(tx, state.team_id, integrationId, "fathom.webhook.cleanup_failed", { when, reason });
    }
  });
  return warning;
}

export async function registeredWebhookId(integrationId: string): Promise<string | null> {
  return (await loadState(integrationId))?.webhook_id ?? null;
}
