// Token encryption at rest: AES-256-GCM (WebCrypto) with a versioned key kept outside Postgres (a function secret).
//   TOKEN_ENCRYPTION_KEY = "v2:<base64 32 bytes>,v1:<base64 32 bytes>"  (the first encrypts; all decrypt: rotation)
//   ciphertext           = "<version>:<iv b64url>:<ciphertext+tag b64url>"
// Additional authenticated data names the row and the purpose (e.g. "team_integrations:<team>:<provider>:access_token"),
// so a ciphertext copied into another row, or from the refresh-token column into the access-token one, fails to
// decrypt instead of silently working.
import { createHash } from "node:crypto";
import { tokenEncryptionKeys } from "./env.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface VersionedKey {
  version: string;
  key: CryptoKey;
}

let cache: { source: string; keys: Promise<VersionedKey[]> } | null = null;

export class KeyConfigError extends Error {
  override readonly name = "KeyConfigError";
}

export class DecryptError extends Error {
  override readonly name = "DecryptError";
}

function parseKeys(source: string): Promise<VersionedKey[]> {
  const entries = source.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new KeyConfigError("TOKEN_ENCRYPTION_KEY is empty");
  const seen = new Set<string>();
  return Promise.all(entries.map(async (entry) => {
    const match = /^(v\d+):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    if (!match) throw new KeyConfigError("TOKEN_ENCRYPTION_KEY entries must look like v1:<base64 of 32 bytes>");
    const [, version, b64] = match;
    if (seen.has(version)) throw new KeyConfigError(`TOKEN_ENCRYPTION_KEY has two keys named ${version}`);
    seen.add(version);
    const raw = fromBase64(b64);
    if (raw.length !== 32) throw new KeyConfigError(`TOKEN_ENCRYPTION_KEY ${version} is not 32 bytes`);
    const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    return { version, key };
  }));
}

/** The configured keys, imported once per distinct TOKEN_ENCRYPTION_KEY value. Throws KeyConfigError. */
export function loadKeys(): Promise<VersionedKey[]> {
  const source = tokenEncryptionKeys();
  if (!source) return Promise.reject(new KeyConfigError("TOKEN_ENCRYPTION_KEY is not set"));
  if (cache?.source !== source) {
    const keys = parseKeys(source);
    keys.catch(() => {}); // a rejected cache entry is re-thrown to each caller, never unhandled
    cache = { source, keys };
  }
  return cache.keys;
}

export async function encryptSecret(plaintext: string, aad: string): Promise<string> {
  const [{ version, key }] = await loadKeys();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(aad) },
    key,
    encoder.encode(plaintext),
  );
  return `${version}:${toBase64Url(iv)}:${toBase64Url(new Uint8Array(sealed))}`;
}

export async function decryptSecret(ciphertext: string, aad: string): Promise<string> {
  const parts = ciphertext.split(":");
  if (parts.length !== 3) throw new DecryptError("malformed ciphertext");
  const [version, ivPart, sealedPart] = parts;
  const entry = (await loadKeys()).find((k) => k.version === version);
  if (!entry) throw new DecryptError(`no key for version ${version}`);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(ivPart), additionalData: encoder.encode(aad) },
      entry.key,
      fromBase64(sealedPart),
    );
    return decoder.decode(plain);
  } catch {
    throw new DecryptError("ciphertext does not authenticate (wrong key, row or purpose)");
  }
}

/** The additional authenticated data for a secret column of team_integrations. */
export function integrationAad(
  teamId: string,
  provider: string,
  purpose: "access_token" | "refresh_token" | "code_verifier" | "webhook_secret" | "destination",
): string {
  return `team_integrations:${teamId}:${provider}:${purpose}`;
}

/**
 * sha256 of the UTF-8 text, lower-case hex. Synchronous node:crypto underneath (Deno and Supabase's edge runtime
 * both provide it): WebCrypto's async digest cost ~4 % of an OAuth start's CPU in bench/oauth-start for a 64-byte
 * input. Kept async so callers do not depend on that.
 */
export function sha256Hex(text: string): Promise<string> {
  return Promise.resolve(createHash("sha256").update(text, "utf8").digest("hex"));
}

/** `bytes` random bytes as base64url (32 bytes = 256 bits -> 43 characters). */
export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Accepts standard base64 and base64url, with or without padding. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  let b64 = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  while (b64.length % 4 !== 0) b64 += "=";
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    throw new DecryptError("invalid base64");
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
