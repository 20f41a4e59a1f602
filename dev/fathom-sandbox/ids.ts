// Unpredictable identifiers for secrets (codes, tokens, webhook secrets). Never use Math.random for these.

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64Url(bytes: Uint8Array): string {
  return base64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Alphanumeric id, e.g. webhook ids ("ikEoQ4bVoq4JYUmc") and Svix-like message ids. */
export function randomAlphanumeric(length: number): string {
  // 248 is the largest multiple of 62 below 256: rejecting higher bytes keeps the draw unbiased.
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

export function randomToken(prefix: string, byteLength = 32): string {
  return `${prefix}${base64Url(randomBytes(byteLength))}`;
}

/** Standard Webhooks secret: "whsec_" + base64 of 24 random bytes (the length Fathom's examples show). */
export function newWebhookSecret(): string {
  return `whsec_${base64(randomBytes(24))}`;
}

export function newMessageId(): string {
  return `msg_${randomAlphanumeric(27)}`;
}
