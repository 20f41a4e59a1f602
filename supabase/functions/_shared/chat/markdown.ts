// The Markdown chat messages are written in (automation message templates and the meeting summaries Fathom sends,
// `default_summary.markdown_formatted`: "## Summary\n- point\n**bold** [link](https://…)"), read with
// mdast-util-from-markdown (CommonMark, unified collective) and walked into lines of inline pieces, so each provider
// module (slack.ts, discord.ts) writes them in its own syntax and escapes every piece of text itself. Nothing here is
// trusted: text stays text, a link is a link only when its target is http(s) (text.ts linkUrl), and a construct
// chat has no place for (html, images, reference links, code blocks, thematic breaks, definitions) shows as the
// characters it was written with.
//
// Kept: ATX/setext headings, paragraphs (one Line per source line), bullet and ordered list items (depth = list
// nesting, at most 3), blank lines between blocks; a `>` quote's content is read as if unquoted. Inline: text
// (backslash escapes and character references resolved by the parser), `code`, strong, emphasis, http(s) links
// and autolinks; a hard break starts a new line.
//
// Bounded work: micromark is quadratic on deep container nesting (100 KB of `>` takes minutes), so only the first
// MAX_SOURCE characters are read (cut at a line end; both chat writers emit at most 4,096 units, far less), a line
// opens at most MAX_LINE_CONTAINERS containers (the marker after that is escaped, so the rest is text), and the
// walk stops nesting at MAX_TREE_DEPTH (deeper nodes show as their source text).
import { fromMarkdown } from "mdast-util-from-markdown";
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

/** Characters of Markdown read; the rest is dropped (see the top). */
export const MAX_SOURCE = 10_000;
/** Container markers (`>`, list markers) honoured at the start of one line. */
export const MAX_LINE_CONTAINERS = 8;
/** mdast nesting walked; deeper nodes are shown as their source text. */
const MAX_TREE_DEPTH = 24;

/**
 * Escapes `text` so that, read as Markdown (CommonMark), it is exactly `text` as plain text, wherever a template puts
 * it: every ASCII punctuation character backslash-escaped, and spaces/tabs at a line's start or end (which CommonMark
 * strips, or reads as indentation or a hard break) as numeric character references. Line ends stay line ends.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`)
    .replace(/^[ \t]+|[ \t]+$/gm, (run) => Array.from(run, (c) => `&#${c.charCodeAt(0)};`).join(""));
}

/** The subset of an mdast node this walk reads (mdast's own types are not mapped for Deno). */
type MdNode = {
  type: string;
  value?: string;
  url?: string;
  ordered?: boolean | null;
  start?: number | null;
  children?: MdNode[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
};

/** `markdown` as lines (see the top). Never throws. */
export function parseMarkdown(markdown: string): Line[] {
  const source = limitContainers(cutSource(markdown));
  let root: MdNode;
  try {
    root = fromMarkdown(source) as MdNode;
  } catch {
    return plainLines(source);
  }
  const out: Line[] = [];
  // blank lines before the first block and after the last one are kept too (writeLines drops them)
  blocks(root.children ?? [], 0, 0, source, out, 0);
  const lineCount = source.split(/\r\n?|\n/).length;
  for (let line = (root.children?.at(-1)?.position?.end.line ?? 0) + 1; line <= lineCount; line++) out.push({ kind: "blank" });
  return out;
}

/** At most MAX_SOURCE characters, cut at the last line end when there is one. */
function cutSource(markdown: string): string {
  if (markdown.length <= MAX_SOURCE) return markdown;
  const cut = markdown.slice(0, MAX_SOURCE);
  const end = Math.max(cut.lastIndexOf("\n"), cut.lastIndexOf("\r"));
  return end > 0 ? cut.slice(0, end) : cut;
}

/** Each line with the container marker after its first MAX_LINE_CONTAINERS backslash-escaped (so it is text). */
function limitContainers(source: string): string {
  return source.replace(/^[^\r\n]*/gm, (line) => {
    const gap = (k: number) => k >= line.length || line[k] === " " || line[k] === "\t";
    let i = 0;
    for (let count = 0; ; count++) {
      while (line[i] === " " || line[i] === "\t") i++;
      let at = i; // the character that makes this marker one
      let next = i + 1;
      if (line[i] === ">" || ("-*+".includes(line[i] ?? "_") && gap(i + 1))) {
        // a quote or a bullet
      } else {
        const ordered = /^\d{1,9}[.)]/.exec(line.slice(i, i + 11));
        if (!ordered || !gap(i + ordered[0].length)) return line;
        next = i + ordered[0].length;
        at = next - 1;
      }
      if (count === MAX_LINE_CONTAINERS) return `${line.slice(0, at)}\\${line.slice(at)}`;
      i = next;
    }
  });
}

/** The source text of `node` (what an unknown construct shows as), or "" without a position. */
function sourceOf(node: MdNode, source: string): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? "" : source.slice(start, end);
}

const text = (value: string): Inline => ({ kind: "text", text: value });

function plainLines(value: string): Line[] {
  return value.split(/\r\n?|\n/).map((line) => (line.trim() ? { kind: "paragraph", inline: [text(line)] } : { kind: "blank" }));
}

/** A blank Line into `out` for each blank source line between line `previousEnd` and `node`. */
function gap(previousEnd: number | undefined, node: MdNode, out: Line[]): void {
  const start = node.position?.start.line;
  if (previousEnd === undefined || start === undefined) return;
  for (let line = previousEnd + 1; line < start; line++) out.push({ kind: "blank" });
}

/** Block `nodes` into `out`, with the blank source lines between them. */
function blocks(nodes: MdNode[], listDepth: number, depth: number, source: string, out: Line[], after?: number): void {
  let previousEnd = after;
  for (const node of nodes) {
    gap(previousEnd, node, out);
    block(node, listDepth, depth, source, out);
    previousEnd = node.position?.end.line ?? previousEnd;
  }
}

function block(node: MdNode, listDepth: number, depth: number, source: string, out: Line[]): void {
  const children = node.children ?? [];
  if (depth >= MAX_TREE_DEPTH) {
    out.push(...plainLines(sourceOf(node, source)).filter((line) => line.kind !== "blank"));
    return;
  }
  switch (node.type) {
    case "heading":
      for (const inline of lines(phrasing(children, depth + 1, source))) out.push({ kind: "heading", inline });
      return;
    case "paragraph":
      for (const inline of lines(phrasing(children, depth + 1, source))) out.push({ kind: "paragraph", inline });
      return;
    case "blockquote":
      blocks(children, listDepth, depth + 1, source, out);
      return;
    case "list": {
      let previousEnd: number | undefined;
      children.forEach((item, i) => {
        gap(previousEnd, item, out);
        previousEnd = item.position?.end.line ?? previousEnd;
        const marker = node.ordered ? (node.start ?? 1) + i : "bullet";
        const [first, ...rest] = item.children ?? [];
        const lead = first?.type === "paragraph";
        const firstLines = lead ? lines(phrasing(first.children ?? [], depth + 2, source)) : [];
        out.push({ kind: "item", depth: Math.min(3, listDepth), marker, inline: firstLines[0] ?? [] });
        for (const inline of firstLines.slice(1)) out.push({ kind: "paragraph", inline });
        blocks(lead ? rest : item.children ?? [], listDepth + 1, depth + 2, source, out, lead ? first.position?.end.line : undefined);
      });
      return;
    }
    default:
      // code, html, thematicBreak, definition and anything else: the characters it was written with
      out.push(...plainLines(sourceOf(node, source)));
  }
}

/** Inline `nodes` as pieces; a line break (soft or hard) stays a "\n" in the text, for `lines` to split on. */
function phrasing(nodes: MdNode[], depth: number, source: string): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    const children = node.children ?? [];
    if (depth >= MAX_TREE_DEPTH) {
      out.push(text(sourceOf(node, source)));
      continue;
    }
    switch (node.type) {
      case "text":
        out.push(text(node.value ?? ""));
        break;
      case "html":
        out.push(text(node.value ?? ""));
        break;
      case "break":
        out.push(text("\n"));
        break;
      case "inlineCode":
        out.push({ kind: "code", text: node.value ?? "" });
        break;
      case "strong":
        out.push({ kind: "strong", children: phrasing(children, depth + 1, source) });
        break;
      case "emphasis":
        out.push({ kind: "em", children: phrasing(children, depth + 1, source) });
        break;
      case "link": {
        const url = linkUrl(node.url);
        const label = phrasing(children, depth + 1, source);
        // a link to anything but http(s) (javascript:, mailto:, a relative path) keeps only its label
        if (url) out.push({ kind: "link", url, children: label });
        else out.push(...label);
        break;
      }
      default:
        // image, imageReference, linkReference, footnoteReference, …: the characters they were written with
        out.push(text(sourceOf(node, source)));
    }
  }
  return merged(out);
}

/** Adjacent text pieces joined, empty ones dropped. */
function merged(pieces: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (piece.kind === "text" && !piece.text) continue;
    if (piece.kind === "text" && last?.kind === "text") out[out.length - 1] = text(last.text + piece.text);
    else out.push(piece);
  }
  return out;
}

/** Pieces split into lines at each line ending in their text; a piece spanning lines is split into one per line. */
function lines(pieces: Inline[]): Inline[][] {
  const out: Inline[][] = [[]];
  for (const piece of pieces) {
    let parts: Inline[][];
    if (piece.kind === "text") parts = piece.text.split(/\r\n?|\n/).map((part) => (part ? [text(part)] : []));
    else if (piece.kind === "code") parts = [[piece]];
    else parts = lines(piece.children).map((children) => (children.length ? [{ ...piece, children }] : []));
    out[out.length - 1].push(...parts[0]);
    for (const part of parts.slice(1)) out.push([...part]);
  }
  return out.map(merged);
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
