// Typeform's webhook signature (providers.md §4, T11 verify-signature.ts, T13): header
// `Typeform-Signature: sha256=<base64(HMAC-SHA256(secret, raw body))>`, base64 (not hex), over the exact bytes
// received. WebCrypto's HMAC verify compares in constant time.

export const SIGNATURE_HEADER = "typeform-signature";

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** True when `header` is `sha256=<base64>` and the MAC of `rawBody` under `secret`. Never throws. */
export async function verifyTypeformSignature(secret: string, rawBody: string, header: string | null): Promise<boolean> {
  if (!header || !header.startsWith("sha256=")) return false;
  const mac = decodeBase64(header.slice("sha256=".length).trim());
  if (!mac || mac.length !== 32) return false;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(rawBody));
}

/** The header value for `rawBody` (tests and the sandbox's counterpart). */
export async function typeformSignature(secret: string, rawBody: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(rawBody)));
  let binary = "";
  for (const b of mac) binary += String.fromCharCode(b);
  return `sha256=${btoa(binary)}`;
}
