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

function randomFrom(alphabet: string, length: number): string {
  // Rejecting bytes at or above the largest multiple of the alphabet's size keeps the draw unbiased.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** Alphanumeric id, e.g. webhook ids ("ikEoQ4bVoq4JYUmc") and Svix-like message ids. */
export function randomAlphanumeric(length: number): string {
  return randomFrom(ALPHANUMERIC, length);
}

/** Upper-case letters and digits, the alphabet of Slack ids (T0…, B0…, C0…). */
export function randomUpperAlphanumeric(length: number): string {
  return randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}

export function randomDigits(length: number): string {
  return randomFrom("0123456789", length);
}

export function randomToken(prefix: string, byteLength = 32): string {
  return `${prefix}${base64Url(randomBytes(byteLength))}`;
}
