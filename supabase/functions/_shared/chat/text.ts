// Text and URL rules both chat providers share: cutting escaped text to a provider's limit without breaking an
// escape or a surrogate pair, which URLs we link to (the ones we post to: oauth/webhook-url.ts), and reading the
// short parts of an answer.

const ELLIPSIS = "…";

/**
 * `text` with each code point passed through `escape`, cut so the result is at most `max` UTF-16 code units
 * (what Slack and Discord count, or more: never over the limit) and ending in "…" when cut. An escape sequence or a
 * surrogate pair is never split. `max` >= 1.
 */
export function fitEscaped(
  text: string,
  max: number,
  escape: (char: string, index: number, text: string) => string,
): string {
  const pieces: string[] = [];
  let length = 0;
  let index = 0;
  for (const char of text) {
    const piece = escape(char, index, text);
    index += char.length;
    if (length + piece.length > max) {
      // drop whole pieces until the ellipsis fits: an escape sequence is never split
      while (pieces.length > 0 && length + ELLIPSIS.length > max) length -= pieces.pop()!.length;
      return pieces.join("") + ELLIPSIS;
    }
    pieces.push(piece);
    length += piece.length;
  }
  return pieces.join("");
}

/** A link for a message: an absolute http(s) URL, normalised (so spaces, quotes and `<>` are percent-encoded); else null. */
export function linkUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Seconds to wait from a `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), or null when the
 * header is missing or unreadable. Fractions are kept (Discord sends them); never negative.
 */
export function retryAfterHeader(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/GMT$/.test(trimmed)) return null; // an HTTP-date is always GMT; Date.parse would read "-5" as a year
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, (date - now) / 1000);
}

/** The first `max` bytes of a body as text (an error answer is short; a hostile one is not read to its end). */
export async function readPrefix(response: Response, max = 512): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut off mid-way is as good as what arrived
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, max));
}

/** A provider's error code when it looks like one (`no_service`, `channel_is_archived`), else null. */
export function shortCode(text: string): string | null {
  const trimmed = text.trim();
  return /^[a-z0-9_]{1,64}$/.test(trimmed) ? trimmed : null;
}
