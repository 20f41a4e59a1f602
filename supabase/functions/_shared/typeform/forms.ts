// A team's Typeform forms as the dialog shows them, and switching one on or off (issue 12 step 4). Each step that
// talks to Typeform runs with no transaction open (a slow Typeform never holds a database connection); the database
// steps are short service-role transactions after the caller passed the admin gate (api/routes/typeform_forms.ts).
// Switching on: fields from GET /forms/{id}, the mapping checked against them (or guessed), a new route id and
// secret stored with enabled = true BEFORE the webhook exists (a delivery that comes at once finds its route),
// PUT /forms/{id}/webhooks/<tag> (enabled, secret, our URL), then the backfill of past responses. If Typeform refuses
// the webhook, the form is put back off. Switching off: the row first (deliveries then answer 404, after which
// Typeform disables the webhook by itself), then DELETE the webhook (its failure is a warning, never a 5xx, and its
// tag stays on the row, off: the row says a webhook is left, and the next switch-off or a disconnect deletes it).
// The route hash a switch-off clears is kept as stale_route_id_hash: when Typeform delivers to that old route, the
// webhook function answers 404 and records when (webhook.ts), and the row says the left webhook was refused.
import { asService } from "../db.ts";
import { AppError } from "../errors.ts";
import { logError } from "../http.ts";
import { scheduleBackfill } from "./backfill.ts";
import { type FormDefinition, TIMEOUT, type TypeformClient, TypeformApiError, typeformClientFor } from "./client.ts";
import { checkMapping, guessMapping, type Mapping } from "./mapping.ts";
import { newRoute, webhookUrl } from "./route.ts";

export interface SavedForm {
  form_id: string;
  title: string;
  enabled: boolean;
  mapping: Partial<Mapping>;
  last_refusal_reason: string | null;
  last_refusal_at: Date | null;
  last_refusal_respondent: string | null;
  backfill_status: string;
  backfill_imported: number;
  backfill_error: string | null;
  /** off, but its webhook is still at Typeform (a delete that failed): the next switch-off or disconnect retries it */
  webhook_left: boolean;
  /** when a delivery of that left webhook was first refused here (404; Typeform then disables it), else null */
  webhook_refused_at: Date | null;
}

/** SavedForm's columns, for every select that reads one (the RLS read-back in the route too). */
export const SAVED_FORM_COLUMNS = "form_id, title, enabled, mapping, last_refusal_reason, last_refusal_at, last_refusal_respondent, backfill_status, " +
  "backfill_imported, backfill_error, (webhook_tag is not null and not enabled) as webhook_left, webhook_refused_at";

/** A failure at Typeform as our error: never Typeform's text. */
export function typeformFailure(err: unknown): unknown {
  if (!(err instanceof TypeformApiError)) return err;
  if (err.status === 404) return new AppError("form_not_found", "Typeform has no such form in the connected account.");
  if (err.status === 429) return new AppError("provider_rate_limited", "Typeform asks us to slow down. Try again in a moment.");
  if (err.status === 401 || err.status === 403) return new AppError("needs_reauth", "Typeform refused our access. Reconnect Typeform.");
  if (err.status === 0 && err.code === TIMEOUT) return new AppError("provider_timeout", "Typeform didn't answer in time. Try again in a moment.");
  if (err.status === 0) return new AppError("provider_unavailable", "Typeform could not be reached. Try again in a moment.");
  return new AppError("provider_error", "Typeform did not answer as expected. Try again in a moment.");
}

export async function atTypeform<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw typeformFailure(err);
  }
}

/** The team's connected Typeform integration id, or 409 not_connected. */
export async function connectedIntegration(teamId: string): Promise<string> {
  const [row] = await asService((tx) =>
    tx<{ id: string; status: string }[]>`select id, status from public.team_integrations where team_id = ${teamId} and provider = 'typeform'`
  );
  if (!row) throw new AppError("not_connected", "Typeform is not connected to this team.");
  if (row.status === "needs_reauth") throw new AppError("needs_reauth", "Typeform needs to be reconnected.");
  if (row.status !== "connected") throw new AppError("not_connected", "Typeform is not connected to this team.");
  return row.id;
}

export async function savedForms(teamId: string, integrationId: string): Promise<Map<string, SavedForm>> {
  const rows = await asService((tx) =>
    tx<SavedForm[]>`
      select ${tx.unsafe(SAVED_FORM_COLUMNS)}
        from public.typeform_forms where team_id = ${teamId} and integration_id = ${integrationId}
       order by title, form_id`
  );
  return new Map(rows.map((r) => [r.form_id, r]));
}

export interface SwitchOnResult {
  form: FormDefinition;
  mapping: Mapping;
}

/** Rounds of "store a route, PUT it" one switch-on makes before giving up on concurrent ones (409 concurrent_change). */
const MAX_SWITCH_ON_ATTEMPTS = 5;

/** Switches a form on with `mapping` (null: guessed). Errors: 400 invalid_mapping, 409 concurrent_change, AppError from Typeform. */
export async function switchOn(teamId: string, integrationId: string, formId: string, mapping: unknown | null, client: TypeformClient = typeformClientFor(integrationId)): Promise<SwitchOnResult> {
  const form = await atTypeform(() => client.getForm(formId));
  const checked = checkMapping(mapping ?? guessMapping(form.fields), form.fields);
  const rowId = await asService(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into public.typeform_forms (team_id, integration_id, form_id, title)
      values (${teamId}, ${integrationId}, ${form.id}, ${form.title})
      on conflict (team_id, form_id) do update set integration_id = excluded.integration_id, title = excluded.title
      returning id`;
    return row.id;
  });
  const tag = `crm-${rowId}`;
  // Two switch-ons of one form may interleave (a double click, two admins): each stores its route, then PUTs it under
  // the same tag, and the PUTs may land at Typeform in the other order. No lock is held across the call to Typeform;
  // instead each checks, once its PUT has landed, that its route is still the stored one: if another switch-on stored
  // a later route, ours may have overwritten theirs at Typeform, so it stores and PUTs a fresh one. The last to check
  // finds its own route both here and at Typeform.
  for (let attempt = 1;; attempt++) {
    const route = await newRoute(teamId, rowId);
    await asService((tx) =>
      tx`update public.typeform_forms
            set enabled = true, mapping = ${JSON.stringify(checked)}::text::jsonb, webhook_tag = ${tag},
                route_id_hash = ${route.routeIdHash}, webhook_secret_encrypted = ${route.secretEncrypted},
                stale_route_id_hash = null, webhook_refused_at = null, backfill_status = 'running', backfill_before = null, backfill_imported = 0, backfill_error = null
          where id = ${rowId}`
    );
    try {
      await atTypeform(() => client.putWebhook(form.id, tag, { url: webhookUrl(route.routeId), secret: route.secret }));
    } catch (err) {
      await asService((tx) =>
        tx`update public.typeform_forms set enabled = false, route_id_hash = null, webhook_secret_encrypted = null,
                                            webhook_tag = null, backfill_status = 'idle'
            where id = ${rowId} and route_id_hash = ${route.routeIdHash}`
      );
      throw err;
    }
    const [now] = await asService((tx) =>
      tx<{ enabled: boolean; route_id_hash: string | null }[]>`select enabled, route_id_hash from public.typeform_forms where id = ${rowId}`
    );
    // switched off meanwhile: the later request wins (a delivery to our route gets 404 and Typeform disables it)
    if (!now?.enabled || now.route_id_hash === route.routeIdHash) break;
    if (attempt >= MAX_SWITCH_ON_ATTEMPTS) {
      throw new AppError("concurrent_change", "The form is being switched on by someone else at the same moment. Try again.");
    }
  }
  scheduleBackfill(rowId, form.fields);
  return { form, mapping: checked };
}

/** Switches a form off. Returns a warning when the webhook could not be deleted at Typeform (the form is off). */
export async function switchOff(teamId: string, integrationId: string, formId: string, client: TypeformClient = typeformClientFor(integrationId)): Promise<{ warning: { code: "webhook_cleanup_failed"; message: string } | null }> {
  const [row] = await asService((tx) =>
    tx<{ webhook_tag: string | null }[]>`
      update public.typeform_forms f
         set enabled = false, route_id_hash = null, webhook_secret_encrypted = null, webhook_tag = null,
             backfill_status = case when f.backfill_status = 'running' then 'idle' else f.backfill_status end,
             -- kept from the switch-off on (not only once the delete failed): a delivery refused while the delete
             -- is still under way is recorded too. A form already off keeps the route it was switched off with.
             stale_route_id_hash = coalesce(old.route_id_hash, f.stale_route_id_hash),
             webhook_refused_at = case when old.route_id_hash is null then f.webhook_refused_at end
        from (select id, webhook_tag, route_id_hash from public.typeform_forms
               where team_id = ${teamId} and form_id = ${formId} for update) old
       where f.id = old.id
      returning old.webhook_tag`
  );
  if (!row?.webhook_tag) return { warning: null };
  try {
    await client.deleteWebhook(formId, row.webhook_tag);
    return { warning: null };
  } catch (err) {
    logError("typeform switch off", err);
    // remembered while the form stays off, so its row says so and the next switch-off or a disconnect deletes it
    // (a switch-on meanwhile PUTs under the same tag and takes it over)
    await asService((tx) =>
      tx`update public.typeform_forms set webhook_tag = ${row.webhook_tag}
          where team_id = ${teamId} and form_id = ${formId} and not enabled and webhook_tag is null`
    );
    return {
      warning: {
        code: "webhook_cleanup_failed",
        message: "The form is off. Typeform still has its webhook; it stops after its next delivery is refused, or remove it in the form's Connect settings.",
      },
    };
  }
}
