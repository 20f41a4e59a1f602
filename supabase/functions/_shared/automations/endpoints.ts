// send_webhook targets (migration 20261203000200, automation_endpoints): the URL and the Standard Webhooks signing
// secret are stored as AES-GCM ciphertext (crypto.ts) with additional data naming the endpoint and the column, so
// a ciphertext copied into another row or column does not decrypt. Members see name and host only; the secret is
// shown once, when the endpoint is created.
//
// URL rule (i11 API contract): https only; http only for a loopback host and only when
// AUTOMATION_ALLOW_HTTP_WEBHOOKS=1 (local stack and tests); no credentials in it; at most 2,000 characters; and
// the host a public internet one (address.ts: no IP literal outside the public unicast ranges, no internal names;
// loopback only with that same flag). The engine checks the host again, resolved, at every send (webhook.ts).
// Errors: AppError invalid_url (400).
import type { Tx } from "../db.ts";
import { decryptSecret, encryptSecret } from "../crypto.ts";
import { AppError } from "../errors.ts";
import { allowLoopbackWebhooks, checkHostName } from "./address.ts";

export const MAX_URL_LENGTH = 2000;

/** The URL parsed and checked against the rule above; throws AppError invalid_url naming what is wrong. */
export function validateEndpointUrl(raw: unknown): URL {
  if (typeof raw !== "string" || raw.trim() === "") throw new AppError("invalid_url", "Enter the URL to send to.");
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) throw new AppError("invalid_url", `The URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError("invalid_url", "The URL is not a valid absolute URL.");
  }
  if (url.username || url.password) throw new AppError("invalid_url", "The URL must not contain a user name or password.");
  const allowLoopback = allowLoopbackWebhooks();
  const httpsOnly = () => new AppError("invalid_url", "The URL must start with https://.");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowLoopback)) throw httpsOnly();
  const { loopback } = checkHostName(url.hostname, allowLoopback);
  if (url.protocol === "http:" && !loopback) throw httpsOnly();
  return url;
}

/** Longest path hint (characters), the host not counted. */
export const MAX_PATH_HINT = 40;

/**
 * What tells endpoints on one host apart without showing a secret: `host` + the URL's path with every segment that
 * may be a token replaced by "…" (one with a digit, longer than 24 characters, with an upper-case letter after
 * its first, or anything but letters, `-`, `_`, `.`), cut to MAX_PATH_HINT. Never the query string or the fragment,
 * never user info (the URL rule refuses it anyway). "hooks.example.com/crm/deals", "hooks.zapier.com/hooks/catch/…/…".
 */
export function pathHint(url: URL): string {
  const segments = url.pathname.split("/").filter(Boolean).map((raw) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return "…";
    }
    const wordy = /^[A-Za-z][a-z_.-]*$/.test(segment) && segment.length <= 24;
    return wordy ? segment : "…";
  });
  let path = segments.length > 0 ? `/${segments.join("/")}` : "";
  if (path.length > MAX_PATH_HINT) path = `${path.slice(0, MAX_PATH_HINT - 1)}…`;
  return `${url.host}${path}`;
}

const aad = (teamId: string, endpointId: string, column: "url" | "secret") =>
  `automation_endpoints:${teamId}:${endpointId}:${column}`;

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export interface EndpointSummary {
  id: string;
  name: string;
  url_host: string;
  created_at: Date;
}

/**
 * Creates an endpoint of the team (in the caller's transaction, as its role: RLS lets admins only).
 * Returns the endpoint and its secret (`whsec_...`), which is never readable again by a client.
 * Throws AppError invalid_url, invalid_request (name missing or longer than 100 characters).
 */
export async function createEndpoint(
  tx: Tx,
  input: { teamId: string; name: unknown; url: unknown },
): Promise<{ endpoint: EndpointSummary; secret: string }> {
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name || name.length > 100) throw new AppError("invalid_request", "The name must be 1 to 100 characters.");
  const url = validateEndpointUrl(input.url);
  const id = crypto.randomUUID();
  const secret = newSigningSecret();
  const [urlEncrypted, secretEncrypted] = await Promise.all([
    encryptSecret(url.href, aad(input.teamId, id, "url")),
    encryptSecret(secret, aad(input.teamId, id, "secret")),
  ]);
  const [row] = await tx<EndpointSummary[]>`
    insert into public.automation_endpoints (id, team_id, name, url_host, url_encrypted, secret_encrypted)
    values (${id}, ${input.teamId}, ${name}, ${url.host.slice(0, 255)}, ${urlEncrypted}, ${secretEncrypted})
    returning id, name, url_host, created_at`;
  return { endpoint: row, secret };
}

/** The path hint of each of the team's endpoints (service role: the URL is decrypted to read it), by id. */
export async function endpointHints(tx: Tx, teamId: string): Promise<Map<string, string>> {
  const rows = await tx<{ id: string; url_encrypted: string; url_host: string }[]>`
    select id, url_encrypted, url_host from public.automation_endpoints where team_id = ${teamId}`;
  const hints = new Map<string, string>();
  await Promise.all(rows.map(async (row) => {
    try {
      hints.set(row.id, pathHint(new URL(await decryptSecret(row.url_encrypted, aad(teamId, row.id, "url")))));
    } catch {
      hints.set(row.id, row.url_host); // unreadable (a key rotated away): the host alone, as before
    }
  }));
  return hints;
}

/** The endpoint's URL and secret, decrypted (service role: the engine's); null when it is gone. */
export async function readEndpoint(tx: Tx, teamId: string, id: string): Promise<{ url: string; secret: string; host: string; name: string } | null> {
  const [row] = await tx`
    select url_encrypted, secret_encrypted, url_host, name from public.automation_endpoints
     where id = ${id} and team_id = ${teamId}`;
  if (!row) return null;
  const [url, secret] = await Promise.all([
    decryptSecret(row.url_encrypted, aad(teamId, id, "url")),
    decryptSecret(row.secret_encrypted, aad(teamId, id, "secret")),
  ]);
  return { url, secret, host: row.url_host, name: row.name };
}

/**
 * Ids of the team's endpoints used by the current version of an enabled rule (DELETE answers 409 endpoint_in_use
 * for them).
 */
export async function endpointsInUse(tx: Tx, teamId: string): Promise<Set<string>> {
  const rows = await tx<{ endpoint_id: string }[]>`
    select distinct lower(a ->> 'endpoint_id') as endpoint_id
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
      cross join lateral jsonb_array_elements(v.actions) a
     where r.team_id = ${teamId} and r.enabled and a ->> 'type' = 'send_webhook' and a ? 'endpoint_id'`;
  return new Set(rows.map((r) => r.endpoint_id));
}

