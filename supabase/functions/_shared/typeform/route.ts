// A form's webhook route and secret: the route id is the capability in the webhook URL
// (<SUPABASE_URL>/functions/v1/typeform-webhook/<route id>), only its SHA-256 is stored (typeform_forms.route_id_hash);
// the HMAC secret is stored encrypted with the form row in its additional data.
import { decryptSecret, encryptSecret, randomToken, sha256Hex } from "../crypto.ts";
import { supabaseUrl } from "../env.ts";

export const ROUTE_ID = /^[A-Za-z0-9_-]{43}$/;

export const formSecretAad = (teamId: string, formRowId: string) => `typeform_forms:${teamId}:${formRowId}:webhook_secret`;

export function routeHash(routeId: string): Promise<string> {
  return sha256Hex(`typeform-route:${routeId}`);
}

/** The webhook URL Typeform calls for this route. */
export function webhookUrl(routeId: string): string {
  return `${supabaseUrl().replace(/\/+$/, "")}/functions/v1/typeform-webhook/${routeId}`;
}

/** A fresh route id (256 bits) and secret, with what is stored of them. */
export async function newRoute(teamId: string, formRowId: string) {
  const routeId = randomToken(32);
  const secret = randomToken(32);
  return {
    routeId,
    secret,
    routeIdHash: await routeHash(routeId),
    secretEncrypted: await encryptSecret(secret, formSecretAad(teamId, formRowId)),
  };
}

export function decryptFormSecret(teamId: string, formRowId: string, ciphertext: string): Promise<string> {
  return decryptSecret(ciphertext, formSecretAad(teamId, formRowId));
}
