// The team's Fathom webhook: created after a connect (and retried by a later sync when that failed), deleted before
// a disconnect. Each integration gets its own unguessable route id in the destination URL (design.md: route
// deliveries by an id we chose, verify with that integration's secret), and the secret is stored AES-GCM encrypted,
// bound to the row and purpose. Nothing here ever fails a connection: failures are recorded and logged.
import { encryptSecret, integrationAad, randomToken } from "../crypto.ts";
import { asService } from "../db.ts";
import { supabaseUrl } from "../env.ts";
import { logError } from "../http.ts";
import { type CreateWebhookInput, type FathomClient, FathomApiError } from "./client.ts";

export function webhookDestination(routeId: string): string {
  return `${supabaseUrl()}/functions/v1/fathom-webhook/${routeId}`;
}

export function webhookRequest(routeId: string): CreateWebhookInput {
  return {
    destination_url: webhookDestination(routeId),
    triggered_for: ["my_recordings", "shared_external_recordings"],
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
  if (state.webhook_id) await deleteWebhookQuietly(client, state.webhook_id);

  const routeId = randomToken(32);
  try {
    const webhook = await client.createWebhook(webhookRequest(routeId));
    const secret = await encryptSecret(webhook.secret, integrationAad(state.team_id, "fathom", "webhook_secret"));
    await asService((tx) =>
      tx`update public.team_integrations
            set webhook_id = ${webhook.id}, webhook_secret_encrypted = ${secret}, webhook_route_id = ${routeId}
          where id = ${integrationId}`
    );
    return true;
  } catch (err) {
    logError("fathom webhook registration", err);
    const code = err instanceof FathomApiError ? `http_${err.status}` : "error";
    await asService(async (tx) => {
      // The connection itself works (the backfill does not need the webhook), so the integration's status and
      // last_error stay as they are; the missing webhook shows as webhook_id null plus this event, and the next
      // sync retries.
      await tx`update public.team_integrations
                  set webhook_id = null, webhook_secret_encrypted = null, webhook_route_id = null
                where id = ${integrationId}`;
      await tx`insert into public.integration_events (team_id, integration_id, provider, type, subject_type,
                                                      subject_id, payload)
               values (${state.team_id}, ${integrationId}, 'fathom', 'fathom.webhook.registration_failed',
                       'integration', ${integrationId}, ${tx.json({ error: code })})`;
    }).catch((e) => logError("fathom webhook registration: recording the failure", e));
    return false;
  }
}

/** Best effort: Fathom being down, or the webhook already gone, must never keep a team from disconnecting. */
export async function deleteWebhookQuietly(client: FathomClient, webhookId: string): Promise<void> {
  try {
    await client.deleteWebhook(webhookId);
  } catch (err) {
    logError("fathom webhook deletion", err);
  }
}

export async function registeredWebhookId(integrationId: string): Promise<string | null> {
  return (await loadState(integrationId))?.webhook_id ?? null;
}
