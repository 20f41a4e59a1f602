// A short, scrubbed excerpt of what an endpoint answered (send_webhook's failed step shows it in the run log): the
// answer is untrusted and may echo what it was sent or hold its own credentials, so before it is stored
// (members read run steps) it loses markup, control characters, every URL, the known secrets of the request (the
// endpoint's URL and signing secret, the signature) and anything shaped like a credential, and is cut short.
// It is text for a person, never parsed.

/** Bytes read from an answer at most (the rest is discarded unread). */
export const EXCERPT_READ_BYTES = 4096;
/** Characters kept. */
export const EXCERPT_MAX_CHARS = 300;

const REDACTED = "[redacted]";

/**
 * At most EXCERPT_READ_BYTES of `response`'s body as text (UTF-8, invalid bytes replaced); "" when there is none or
 * it cannot be read. The body is cancelled afterwards.
 */
export async function readHead(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_READ_BYTES) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a broken answer: what was read is enough
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, EXCERPT_READ_BYTES));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at >= bytes.length) break;
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/**
 * `text` made safe to show (see the top): `secrets` (the request's URL, signing secret, signature; each also
 * matched without its scheme) become "[redacted]", so do bearer tokens, `whsec_` / `v1,` signatures,
 * `key: value` pairs whose key names a credential, long opaque tokens (32+ letters and digits) and every URL
 * ("[link]"). Markup is dropped, whitespace collapsed, at most EXCERPT_MAX_CHARS characters (an ellipsis when
 * cut). null when nothing is left.
 */
export function scrubExcerpt(text: string, secrets: readonly string[] = []): string | null {
  let out = text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<[^>]*>/g, " ");
  const known = secrets
    .flatMap((s) => [s, s.replace(/^[a-z]+:\/\//i, "")])
    .filter((s) => s.length >= 6)
    .sort((a, b) => b.length - a.length);
  for (const s of known) out = out.split(s).join(REDACTED);
  out = out
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, "[link]")
    .replace(/\bbearer\s+[^\s"',;]+/gi, `Bearer ${REDACTED}`)
    .replace(/\bwhsec_[A-Za-z0-9+/=_-]+/g, REDACTED)
    .replace(/\bv1,[A-Za-z0-9+/=]{16,}/g, REDACTED)
    .replace(
      /(["']?\b(?:[a-z_-]*(?:token|secret|password|passwd|api[_-]?key|signature|authorization|cookie|session)[a-z_-]*)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi,
      `$1${REDACTED}`,
    )
    .replace(/\b[A-Za-z0-9_+/=-]{32,}\b/g, REDACTED)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!out) return null;
  return out.length > EXCERPT_MAX_CHARS ? `${out.slice(0, EXCERPT_MAX_CHARS - 1)}…` : out;
}
