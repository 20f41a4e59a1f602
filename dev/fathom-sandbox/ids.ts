// Unpredictable identifiers for secrets (codes, tokens, webhook secrets). Never use Math.random for these.

import { base64, randomAlphanumeric, randomBytes } from "../sandbox/ids.ts";

export { base64, base64Url, randomAlphanumeric, randomBytes, randomToken } from "../sandbox/ids.ts";

/** Standard Webhooks secret: "whsec_" + base64 of 24 random bytes (the length Fathom's examples show). */
export function newWebhookSecret(): string {
  return `whsec_${base64(randomBytes(24))}`;
}

export function newMessageId(): string {
  return `msg_${randomAlphanumeric(27)}`;
}
