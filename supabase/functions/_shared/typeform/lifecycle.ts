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

/** Switches every form of the integration off and deletes their webhooks; "failed" when one could not be deleted. */
export async function removeFormWebhooks(ctx: ConnectionContext): Promise<"done" | "failed"> {
  const forms = await asService((tx) =>
    tx<{ form_id: string; webhook_tag: string }[]>`
      update public.typeform_forms f
         set enabled = false, route_id_hash = null, webhook_secret_encrypted = null, webhook_tag = null,
             backfill_status = case when f.backfill_status = 'running' then 'idle' else f.backfill_status end
        from (select id, webhook_tag from public.typeform_forms where integration_id = ${ctx.integrationId} and webhook_tag is not null for update) old
       where f.id = old.id
      returning f.form_id, old.webhook_tag`
  );
  if (forms.length === 0) return "done";
  const token = await ctx.accessToken().catch(() => null);
  if (!token) return "failed";
  const client = createTypeformClient({
    baseUrl: typeformApiBaseUrl(),
    // the stored token as is: a refresh here would race the disconnect that is deleting it
    tokens: { token: () => Promise.resolve(token), refresh: () => Promise.reject(new Error("no refresh during clean-up")) },
    pacer: createPacer(),
    timeoutMs: MAX_DELETE_MS,
  });
  let outcome: "done" | "failed" = "done";
  for (const f of forms) {
    try {
      await client.deleteWebhook(f.form_id, f.webhook_tag);
    } catch (err) {
      logError("typeform webhook delete", err);
      outcome = "failed";
    }
  }
  return outcome;
}

async function beforeDisconnect(ctx: ConnectionContext): Promise<DisconnectOutcome> {
  if ((await removeFormWebhooks(ctx)) === "done") return { warning: null };
  return {
    warning: {
      code: "webhook_cleanup_failed",
      message: "Typeform could not be reached to remove the forms' webhooks. They stop by themselves at their next " +
        "response, or remove them in each form's Connect settings.",
    },
  };
}

export const typeformHooks: ProviderHooks = {
  beforeDisconnect,
  beforeReplace: async (ctx) => {
    await removeFormWebhooks(ctx).catch((err) => logError("typeform reconnect clean-up", err));
  },
};
