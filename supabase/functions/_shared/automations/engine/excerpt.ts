// A short, scrubbed excerpt of what an endpoint answered (send_webhook's failed step shows it in the run log): the
// answer is untrusted and may echo what it was sent or hold its own credentials, so before it is stored
// (members read run steps) it loses markup, control characters, every URL, the known secrets of the request (the
// endpoint's URL and signing secret, the signature, in the encodings an answer may echo them in) and anything
// shaped like a credential, and is cut short. It is text for a person, never parsed. Only admins see it: the API
// answers members with the status and a sentence instead (api/routes/automation_excerpt.ts).

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
 * `text` made safe to show (see the top). In order:
 * 1. cut to EXCERPT_SCAN_CHARS characters before any pattern runs (every pattern below is linear or bounded, and
 *    the cut bounds them again: a 4 KB answer of "token-token-..." once took seconds);
 * 2. markup dropped (tags with nothing in their place, so a secret split by an empty tag joins up again and is
 *    found), then decoded, up to three rounds: JSON escapes (`\/`, `\u002F`), HTML character references
 *    (`&#x2F;`, `&sol;`), percent-encoding (`%2F`): an endpoint echoing its URL in any of those is still caught;
 * 3. `secrets` (the request's URL, signing secret, signature) become "[redacted]", compared without case: each
 *    whole, the URL also without its scheme, its path, every path segment and query value of SECRET_MIN_CHARS or
 *    more (the path of a Zapier or Slack hook IS its secret; Express answers "Cannot POST /hooks/catch/…"), and
 *    any word of 5+ characters that is a piece of one of them (a secret cut by markup, white space or the cut);
 * 4. bearer tokens, `whsec_` / `v1,` signatures, `key: value` pairs whose key names a credential, long opaque
 *    tokens (32+ letters and digits) and every URL ("[link]") go too;
 * 5. control characters out, whitespace collapsed, at most EXCERPT_MAX_CHARS characters (an ellipsis when cut).
 * null when nothing is left. Over-redacting (a word of the answer that happens to be a piece of the URL) is the
 * price of never showing the URL.
 */
export function scrubExcerpt(text: string, secrets: readonly string[] = []): string | null {
  let out = decodeAll(stripMarkup(text.slice(0, EXCERPT_SCAN_CHARS)));
  const known = secretForms(secrets);
  for (const s of known) out = out.replace(new RegExp(escapeRegExp(s), "gi"), REDACTED);
  const lowered = known.map((s) => s.toLowerCase());
  out = out
    // a piece of a secret (5+ characters of its alphabet) left standing on its own
    .replace(/[A-Za-z0-9_.~+=-]{5,}/g, (word) => {
      const w = word.toLowerCase();
      return lowered.some((s) => s.includes(w)) ? REDACTED : word;
    })
    .replace(/\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s"'<>]+/gi, "[link]")
    .replace(/\bbearer\s{1,5}[^\s"',;]+/gi, `Bearer ${REDACTED}`)
    .replace(/\bwhsec_[A-Za-z0-9+/=_-]+/g, REDACTED)
    .replace(/\bv1,[A-Za-z0-9+/=]{16,}/g, REDACTED)
    // key = value / "key": "value"; the key is read by a bounded pattern and judged by CREDENTIAL_KEY afterwards
    // (a key pattern with optional runs around the credential word backtracked cubically)
    .replace(
      /(["']?)([A-Za-z][A-Za-z0-9_-]{0,40})\1(\s{0,5}[:=]\s{0,5})("[^"]{0,400}"|'[^']{0,400}'|[^\s,;&}"']{1,400})/g,
      (all, quote: string, key: string, sep: string) =>
        CREDENTIAL_KEY.test(key) ? `${quote}${key}${quote}${sep}${REDACTED}` : all,
    )
    .replace(/\b[A-Za-z0-9_+/=-]{32,256}/g, REDACTED)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!out) return null;
  return out.length > EXCERPT_MAX_CHARS ? `${out.slice(0, EXCERPT_MAX_CHARS - 1)}…` : out;
}

/** Characters of an answer looked at (the excerpt shown is shorter still). */
export const EXCERPT_SCAN_CHARS = 1000;
/** A path segment or query value of the endpoint's URL this long or longer is treated as a secret. */
export const SECRET_MIN_CHARS = 6;

const CREDENTIAL_KEY =
  /token|secret|passw|api[_-]?key|^key$|[_-]key$|^sig$|signature|authori[sz]ation|^auth$|credential|cookie|session/i;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Tags and comments removed: script and style with their content, others with nothing in their place. */
function stripMarkup(text: string): string {
  return text
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    // a block break is a word break; any other tag is nothing (a secret split by <b></b> joins up again)
    .replace(/<\/?(?:br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|pre|title|head|body|html)\b[^>]{0,200}>/gi, " ")
    .replace(/<[^<>]{0,200}>/g, "");
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", sol: "/", bsol: "\\", colon: ":", period: ".", equals: "=",
  quest: "?", percnt: "%", num: "#", nbsp: " ", lowbar: "_", hyphen: "-", dash: "-", plus: "+", comma: ",",
  semi: ";", excl: "!", commat: "@", dollar: "$", ast: "*", lpar: "(", rpar: ")", tilde: "~",
};

function fromCodePoint(n: number): string {
  return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "\ufffd";
}

/** One round of each decoding (JSON escapes, HTML character references, %xx byte by byte). */
function decodeOnce(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => fromCodePoint(parseInt(h, 16)))
    .replace(/\\([/\\"'])/g, "$1")
    .replace(/&#[xX]([0-9a-fA-F]{1,6});?/g, (_, h: string) => fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]{1,7});?/g, (_, d: string) => fromCodePoint(parseInt(d, 10)))
    .replace(/&([a-zA-Z]{2,8});/g, (all, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? all)
    .replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** `text` decoded until it stops changing, three rounds at most (double encoding is common; more is not). */
function decodeAll(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++) {
    const next = decodeOnce(out);
    if (next === out) break;
    out = next;
  }
  return out;
}

/**
 * Every form of `secrets` to remove (decoded as the answer is, SECRET_MIN_CHARS+ characters, longest first): each
 * whole; for a URL also without its scheme, host and path, path, query, every path segment and query value; for a
 * signature header each of its comma- or space-separated parts.
 */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const raw of secrets) {
    if (!raw) continue;
    const s = decodeAll(raw);
    forms.add(s);
    forms.add(s.replace(/^[a-z][a-z0-9+.-]{0,30}:\/\//i, ""));
    for (const part of s.split(/[\s,]+/)) forms.add(part);
    let url: URL | null = null;
    try {
      url = /^[a-z][a-z0-9+.-]{0,30}:\/\//i.test(raw) ? new URL(raw) : null;
    } catch {
      url = null;
    }
    if (!url) continue;
    const path = decodeAll(url.pathname);
    forms.add(`${url.host}${path}`);
    forms.add(path);
    forms.add(path.replace(/^\/+|\/+$/g, ""));
    for (const segment of path.split("/")) forms.add(segment);
    forms.add(decodeAll(url.search.replace(/^\?/, "")));
    for (const [name, value] of url.searchParams) {
      forms.add(value);
      forms.add(`${name}=${value}`);
    }
  }
  return [...forms].filter((f) => f.length >= SECRET_MIN_CHARS).sort((a, b) => b.length - a.length);
}
