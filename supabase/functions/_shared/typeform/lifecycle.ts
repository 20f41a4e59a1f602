// Typeform's part of a connection's life beyond OAuth (passed to the engine through _shared/lifecycle.ts): the
// webhooks the CRM put on forms are deleted at Typeform when the team disconnects, and when a reconnect replaces the
// account (the OLD account's token is still the stored one then), and the forms are switched off (a reconnected
// account may not even have them). Best effort and time-boxed: a Typeform outage never fails a disconnect or a
// reconnect; a webhook left behind stops at its next delivery, which the CRM answers 404 (Typeform then disables it).
import { asService } from "../db.ts";
import { logError } from "../http.ts";
import type { ConnectionContext, DisconnectOutcome, ProviderHooks } from "../oauth/types.ts";
import { createPacer, createTypeformClient, typeformApiBaseUrl } from "./client.ts";

const MAX_DELETE_MS = 5_000;

/**
 * Switches every form of the integration off and deletes their webhooks, those a failed switch-off left too (a form
 * off with its webhook_tag kept). Returns the titles of the forms whose webhook could not be deleted ([]: all gone).
 */
export async function removeFormWebhooks(ctx: ConnectionContext): Promise<string[]> {
  const forms = await asService((tx) =>
    tx<{ form_id: string; title: string; webhook_tag: string }[]>`
      update public.typeform_forms f
         set enabled = false, route_id_hash = null, webhook_secret_encrypted = null, webhook_tag = null,
             backfill_status = case when f.backfill_status = 'running' then 'idle' else f.backfill_status end
        from (select id, webhook_tag from public.typeform_forms where integration_id = ${ctx.integrationId} and webhook_tag is not null for update) old
       where f.id = old.id
      returning f.form_id, f.title, old.webhook_tag`
  );
  if (forms.length === 0) return [];
  const token = await ctx.accessToken().catch(() => null);
  if (!token) return forms.map((f) => f.title);
  const client = createTypeformClient({
    baseUrl: typeformApiBaseUrl(),
    // the stored token as is: a refresh here would race the disconnect that is deleting it
    tokens: { token: () => Promise.resolve(token), refresh: () => Promise.reject(new Error("no refresh during clean-up")) },
    pacer: createPacer(),
    timeoutMs: MAX_DELETE_MS,
  });
  const left: string[] = [];
  for (const f of forms) {
    try {
      await client.deleteWebhook(f.form_id, f.webhook_tag);
    } catch (err) {
      logError("typeform webhook delete", err);
      left.push(f.title);
    }
  }
  return left;
}

async function beforeDisconnect(ctx: ConnectionContext): Promise<DisconnectOutcome> {
  const left = await removeFormWebhooks(ctx);
  if (left.length === 0) return { warning: null };
  // the rows go with the integration, so the warning is the only place left that names them
  const names = left.length > 5 ? `${left.slice(0, 5).join(", ")} and ${left.length - 5} more` : left.join(", ");
  return {
    warning: {
      code: "webhook_cleanup_failed",
      message: `Typeform could not be reached to remove the webhooks of these forms: ${names}. They stop by themselves ` +
        "at their next response, or remove them in each form's Connect settings.",
    },
  };
}

export const typeformHooks: ProviderHooks = {
  beforeDisconnect,
  beforeReplace: async (ctx) => {
    await removeFormWebhooks(ctx).catch((err) => logError("typeform reconnect clean-up", err));
  },
};
