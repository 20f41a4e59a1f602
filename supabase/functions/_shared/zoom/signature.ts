// Zoom's webhook signature and URL validation (providers.md §3, Z2 Rivet `isEventVerified` /
// `hashUrlValidationEvent`, Z10, Z11), with the app's secret token (ZOOM_WEBHOOK_SECRET_TOKEN):
//   x-zm-signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + x-zm-request-timestamp + ":" + raw body))
//   endpoint.url_validation -> {plainToken, encryptedToken: hex(HMAC-SHA256(secret, plainToken))}
// Verified over the RAW body (Rivet re-serialises the parsed JSON, which only works because Zoom sends compact JSON).
// The comparison is WebCrypto's HMAC verify (constant time). Zoom gives no freshness window; we allow 5 minutes
// either way (as Standard Webhooks and Slack do), so a captured delivery cannot be replayed later.

const encoder = new TextEncoder();

/** How far x-zm-request-timestamp may be from now, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: "missing_headers" | "malformed" | "stale" | "mismatch" };

function hmacKey(secret: string, usage: KeyUsage): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** hex(HMAC-SHA256(secret, message)), lower case. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), encoder.encode(message)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Checks a delivery's signature and freshness. `timestamp` and `signature` are the raw header values (null when
 * absent); `nowMs` is the receiver's clock. Never throws.
 */
export async function verifyZoomSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  rawBody: string;
  nowMs: number;
}): Promise<SignatureCheck> {
  const { secret, timestamp, signature, rawBody, nowMs } = input;
  if (!timestamp || !signature) return { ok: false, reason: "missing_headers" };
  // seconds since the epoch, as Zoom sends it
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed" };
  const expected = /^v0=([0-9a-fA-F]{64})$/.exec(signature.trim());
  const mac = expected ? hexToBytes(expected[1]) : null;
  if (!mac) return { ok: false, reason: "malformed" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "stale" };
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret, "verify"), mac, encoder.encode(`v0:${timestamp}:${rawBody}`));
  return valid ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** The answer to `endpoint.url_validation` (Z11): 200 with this JSON within 3 s. */
export async function urlValidationAnswer(secret: string, plainToken: string): Promise<{ plainToken: string; encryptedToken: string }> {
  return { plainToken, encryptedToken: await hmacSha256Hex(secret, plainToken) };
}
