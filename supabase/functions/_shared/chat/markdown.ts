// The small Markdown subset chat messages are written in (automation message templates and the meeting summaries
// Fathom sends, `default_summary.markdown_formatted`: "## Summary\n- point\n**bold** [link](https://…)"), read
// into lines of inline pieces, so each provider module (slack.ts, discord.ts) writes them in its own syntax and
// escapes every piece of text itself. Nothing here is trusted: text stays text, a link is a link only when its
// target is http(s) (text.ts linkUrl), and anything this reader does not know shows as the characters it is.
//
// Block syntax, one line at a time (CommonMark's line starts, no nesting beyond list indentation): ATX headings
// (`#`..`######`), bullet items (`-`, `*`, `+`), ordered items (`1.` / `1)`), blank lines, paragraphs; a `>` quote
// is read as a paragraph. Inline: backslash escapes of ASCII punctuation, `` `code` ``, `**strong**` /
// `__strong__`, `*em*` / `_em_` (`_` only at word edges, so snake_case stays), `[label](url)`, `<https://…>`.
import { linkUrl } from "./text.ts";

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong"; children: Inline[] }
  | { kind: "em"; children: Inline[] }
  | { kind: "link"; url: string; children: Inline[] };

export type Line =
  | { kind: "blank" }
  | { kind: "heading"; inline: Inline[] }
  | { kind: "item"; depth: number; marker: "bullet" | number; inline: Inline[] }
  | { kind: "paragraph"; inline: Inline[] };

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Backslash-escapes `text` so that, read as this Markdown, it is exactly `text` (for values put into a template). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]()<>|#]/g, (c) => `\\${c}`).replace(/^(\s*)(\d+)([.)])/gm, "$1$2\\$3");
}

/** `markdown` as lines (see the top). Never throws. */
export function parseMarkdown(markdown: string): Line[] {
  return markdown.replace(/\r\n?/g, "\n").split("\n").map(parseLine);
}

function parseLine(raw: string): Line {
  if (!raw.trim()) return { kind: "blank" };
  const heading = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(raw);
  if (heading) return { kind: "heading", inline: parseInline(heading[1] ?? "") };
  const item = /^([ \t]*)(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)$/.exec(raw);
  if (item) {
    const indent = item[1].replace(/\t/g, "    ").length;
    return {
      kind: "item",
      depth: Math.min(3, Math.floor(indent / 2)),
      marker: item[2] ? "bullet" : Number(item[3]),
      inline: parseInline(item[4]),
    };
  }
  const quote = /^ {0,3}>[ \t]?(.*)$/.exec(raw);
  return { kind: "paragraph", inline: parseInline((quote ? quote[1] : raw).trim()) };
}

/** Inline pieces of one line; unmatched markers stay text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) out.push({ kind: "text", text: buffer });
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: "code", text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if ((c === "*" || c === "_") && text[i + 1] === c) {
      const end = closing(text, c + c, i + 2);
      if (end > i + 2 && (c === "*" || wordEdge(text, i, end + 2))) {
        flush();
        out.push({ kind: "strong", children: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((c === "*" || c === "_") && text[i + 1] !== c && text[i + 1] !== " " && i + 1 < text.length) {
      const end = closing(text, c, i + 1);
      if (end > i + 1 && text[end - 1] !== " " && (c === "*" || wordEdge(text, i, end + 1))) {
        flush();
        out.push({ kind: "em", children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (c === "[") {
      const link = readLink(text, i);
      if (link) {
        flush();
        const url = linkUrl(link.target);
        const children = parseInline(link.label);
        // a link to anything but http(s) (javascript:, a relative path) keeps only its label
        out.push(...(url ? [{ kind: "link" as const, url, children }] : children));
        i = link.end;
        continue;
      }
    }
    if (c === "<") {
      const end = text.indexOf(">", i + 1);
      const url = end > i ? linkUrl(text.slice(i + 1, end)) : null;
      if (url && /^https?:\/\/\S+$/i.test(text.slice(i + 1, end))) {
        flush();
        out.push({ kind: "link", url, children: [{ kind: "text", text: text.slice(i + 1, end) }] });
        i = end + 1;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

/** Index of the next unescaped `marker` at or after `from`, or -1. */
function closing(text: string, marker: string, from: number): number {
  for (let i = from; i <= text.length - marker.length; i++) {
    if (text[i] === "\\") {
      i++;
      continue;
    }
    if (text.startsWith(marker, i)) return i;
  }
  return -1;
}

/** `_` emphasis only between non-word characters: `snake_case_name` is not emphasis. */
function wordEdge(text: string, start: number, after: number): boolean {
  const word = /[\p{L}\p{N}]/u;
  return !(start > 0 && word.test(text[start - 1])) && !(after < text.length && word.test(text[after]));
}

/** `[label](target)` at `start` (label without an unescaped `]`, target without spaces), or null. */
function readLink(text: string, start: number): { label: string; target: string; end: number } | null {
  const close = closing(text, "]", start + 1);
  if (close < 0 || text[close + 1] !== "(") return null;
  // the target ends at the `)` that balances its `(` (CommonMark: "javascript:alert(1)" is one target)
  let end = -1;
  for (let i = close + 2, depth = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "(") depth++;
    else if (text[i] === ")" && depth-- === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const target = text.slice(close + 2, end).trim().replace(/^<(.*)>$/, "$1");
  if (!target || /\s/.test(target)) return null;
  return { label: text.slice(start + 1, close), target, end: end + 1 };
}

/** The pieces as plain text (a link's label, formatting dropped). */
export function inlineText(pieces: Inline[]): string {
  return pieces.map((p) => (p.kind === "text" || p.kind === "code" ? p.text : inlineText(p.children))).join("");
}

/**
 * Writes `lines` in a provider's syntax, at most `max` UTF-16 units: whole lines while they fit; the line that does
 * not fit is written as its plain text, escaped and cut with "…" (`plain`), so no markup is ever cut in half.
 */
export function writeLines(lines: Line[], max: number, write: (line: Line) => string, plain: (text: string, room: number) => string): string {
  const out: string[] = [];
  let length = 0;
  // blank lines collapse to one, and none at the start or the end
  const kept = lines.filter((line, i) => line.kind !== "blank" || (i > 0 && lines[i - 1].kind !== "blank"));
  while (kept.length > 0 && kept[kept.length - 1].kind === "blank") kept.pop();
  for (const line of kept) {
    const text = line.kind === "blank" ? "" : write(line);
    const sep = out.length > 0 ? 1 : 0;
    if (length + sep + text.length <= max) {
      out.push(text);
      length += sep + text.length;
      continue;
    }
    const room = max - length - sep;
    if (room >= 2 && line.kind !== "blank") out.push(plain(inlineText(line.inline), room));
    break;
  }
  return out.join("\n");
}
