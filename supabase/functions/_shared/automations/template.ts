// Rule templates (issue 11 design, "Rule language"; automations.md §5.5): `{{ path | filter: arg | filter }}`
// over the frozen RunContext, dot paths only, a fixed set of filters, no expressions and no raw mode.
// Values are escaped for their destination after the filters; the literal template text never is, and a value
// is never parsed again, so a lead called `{{team.name}}` or `<!channel>` stays exactly that.
import { escapeDiscord } from "../chat/discord.ts";
import { escapeMarkdown } from "../chat/markdown.ts";
import { escapeSlack } from "../chat/slack.ts";
import { FILTERS, type FilterName, variablesFor } from "./catalog.ts";
import type { RunContext, TriggerType } from "./context.ts";

/** Longest template (UTF-16 units), checked when the rule is saved. */
export const MAX_TEMPLATE_LENGTH = 5000;
/** Largest `truncate: N`. */
export const MAX_TRUNCATE = 5000;

export type Escape = "slack" | "discord" | "markdown" | "plain";

/**
 * Values that ARE markdown (catalog.ts labels them so): in "markdown" mode they are put in as they are, so a meeting
 * summary's headings, lists and links are formatted by the chat module; every other value is escaped.
 */
export const MARKDOWN_VALUES: ReadonlySet<string> = new Set(["meeting.summary"]);

/** A template that cannot be saved or rendered; `message` names the problem ("unknown variable {{lead.nmae}}"). */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
}

export type FilterCall = { name: FilterName; arg: number | string | null };
export type TemplatePart = { kind: "text"; text: string } | { kind: "value"; path: string; filters: FilterCall[]; source: string };

/** A parsed template: literal text and `{{…}}` placeholders in order; `variables` lists each path once. */
export type CompiledTemplate = { parts: TemplatePart[]; variables: string[] };

const PATH = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;
const FILTER_CALL = /^([a-z_]+)\s*(?::\s*(.*))?$/s;

/** Splits a filter chain on `|` outside quotes ("default: \"a|b\"" stays one filter). */
function splitPipes(expr: string): string[] {
  const pieces: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "|") {
      pieces.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  if (quote) throw new TemplateError(`unterminated string in {{${expr}}}`);
  pieces.push(expr.slice(start));
  return pieces.map((p) => p.trim());
}

function parseArg(raw: string, source: string): number | string {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const quoted = /^(["'])((?:\\.|(?!\1).)*)\1$/s.exec(raw);
  if (quoted) return quoted[2].replace(/\\(.)/gs, "$1");
  throw new TemplateError(`bad filter argument ${raw} in {{${source}}} (a whole number or a "quoted text")`);
}

function parseFilter(piece: string, source: string): FilterCall {
  const match = FILTER_CALL.exec(piece);
  if (!match) throw new TemplateError(`bad filter "${piece}" in {{${source}}}`);
  const name = match[1];
  if (!Object.hasOwn(FILTERS, name)) throw new TemplateError(`unknown filter "${name}" in {{${source}}}`);
  const filter = FILTERS[name as FilterName];
  const rawArg = match[2]?.trim();
  if (filter.arg === "none") {
    if (rawArg !== undefined) throw new TemplateError(`filter "${name}" takes no argument in {{${source}}}`);
    return { name: name as FilterName, arg: null };
  }
  if (!rawArg) throw new TemplateError(`filter "${name}" needs an argument in {{${source}}}`);
  const arg = parseArg(rawArg, source);
  if (filter.arg === "number" && (typeof arg !== "number" || arg < 1 || arg > MAX_TRUNCATE)) {
    throw new TemplateError(`filter "${name}" needs a whole number 1..${MAX_TRUNCATE} in {{${source}}}`);
  }
  if (filter.arg === "string" && typeof arg !== "string") {
    throw new TemplateError(`filter "${name}" needs a "quoted text" in {{${source}}}`);
  }
  return { name: name as FilterName, arg };
}

/** Syntax only: literal text and placeholders; throws TemplateError on `{{` without `}}`, nested `{{`, bad paths. */
export function parseTemplate(text: string): CompiledTemplate {
  if (text.length > MAX_TEMPLATE_LENGTH) {
    throw new TemplateError(`template is ${text.length} characters long, at most ${MAX_TEMPLATE_LENGTH}`);
  }
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("{{", at);
    if (open < 0) break;
    if (open > at) parts.push({ kind: "text", text: text.slice(at, open) });
    const close = text.indexOf("}}", open + 2);
    if (close < 0) throw new TemplateError(`unterminated {{ at character ${open + 1}`);
    const source = text.slice(open + 2, close).trim();
    if (source.includes("{{") || source.includes("{") || source.includes("}")) {
      throw new TemplateError(`nested braces in {{${source}}} at character ${open + 1}`);
    }
    const [path, ...filterPieces] = splitPipes(source);
    if (!path) throw new TemplateError(`empty {{}} at character ${open + 1}`);
    if (!PATH.test(path)) throw new TemplateError(`bad variable {{${source}}} (a dotted path like meeting.title)`);
    parts.push({ kind: "value", path, filters: filterPieces.map((p) => parseFilter(p, source)), source });
    if (!variables.includes(path)) variables.push(path);
    at = close + 2;
  }
  if (at < text.length) parts.push({ kind: "text", text: text.slice(at) });
  return { parts, variables };
}

/**
 * Checks a template for a rule with this trigger: syntax, length (<= 5,000), every variable in
 * `variablesFor(trigger)`, every filter in FILTERS with a fitting argument. Throws TemplateError naming the first
 * problem (e.g. `unknown variable {{lead.nmae}}`).
 */
export function compileTemplate(text: string, trigger: TriggerType): CompiledTemplate {
  const compiled = parseTemplate(text);
  const known = new Set(variablesFor(trigger).map((v) => v.path));
  for (const part of compiled.parts) {
    if (part.kind === "value" && !known.has(part.path)) throw new TemplateError(`unknown variable {{${part.path}}}`);
  }
  return compiled;
}

/** The value at a dotted path, own properties only (no `constructor`, no prototype). */
export function lookup(context: unknown, path: string): unknown {
  let value: unknown = context;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** One list item as text: an action item is its text, an attendee `Name <email>`, anything else as is. */
function itemText(item: unknown): string {
  if (item === null || item === undefined) return "";
  if (typeof item !== "object") return String(item);
  const record = item as Record<string, unknown>;
  if (typeof record.text === "string") return record.text;
  const name = typeof record.name === "string" && record.name.trim() ? record.name.trim() : null;
  const email = typeof record.email === "string" && record.email.trim() ? record.email.trim() : null;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? "";
}

function asText(value: unknown): string {
  if (isEmpty(value)) return "";
  if (Array.isArray(value)) return value.map(itemText).filter(Boolean).join(", ");
  return itemText(value);
}

/** Cuts to at most `max` UTF-16 units with a trailing "…", never half a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function applyFilter(value: unknown, filter: FilterCall): unknown {
  switch (filter.name) {
    case "default":
      return isEmpty(value) ? filter.arg : value;
    case "truncate":
      return truncate(asText(value), filter.arg as number);
    case "upcase":
      return asText(value).toUpperCase();
    case "downcase":
      return asText(value).toLowerCase();
    case "date": {
      if (isEmpty(value)) return "";
      const date = new Date(asText(value));
      // a value that is no date is shown as it is rather than dropped
      return Number.isNaN(date.getTime()) ? asText(value) : date.toISOString().slice(0, 10);
    }
    case "list": {
      if (isEmpty(value)) return "";
      const items = (Array.isArray(value) ? value : [value]).map(itemText).filter(Boolean);
      return items.map((item) => `- ${item}`).join("\n");
    }
  }
}

const escapers: Record<Escape, (text: string) => string> = {
  plain: (text) => text,
  markdown: escapeMarkdown,
  slack: (text) => Array.from(text, escapeSlack).join(""),
  discord: (text) => {
    let out = "";
    let index = 0;
    for (const char of text) {
      out += escapeDiscord(char, index, text);
      index += char.length;
    }
    return out;
  },
};

/**
 * Renders `text` over `context`: each placeholder's value through its filters, then escaped for `escape`
 * (slack: `& < >` as entities; discord: @everyone/@here/<@…>/<@&…>/<#…> get a zero-width space and markdown,
 * links included, is backslash-escaped; markdown: backslash-escaped so it reads as itself in Markdown, except the
 * MARKDOWN_VALUES, for Slack and Discord messages handed to notify() as markdown (chat/markdown.ts); plain: as is,
 * for notes, task titles, JSON built as an object: see ACTIONS in catalog.ts). The slack and
 * discord modes are for text sent to the provider as markup, where the template's own text may use its syntax.
 * A value that is absent (null, undefined, "" or []) renders "" and its path is listed in `missing` unless a
 * `default` filter gave it one. Throws TemplateError on bad syntax (a saved rule was compiled, so only for
 * hand-made input). Pure: `context` is read, never changed.
 */
export function renderTemplate(text: string, context: RunContext, escape: Escape): { text: string; missing: string[] } {
  const compiled = parseTemplate(text);
  const missing: string[] = [];
  let out = "";
  for (const part of compiled.parts) {
    if (part.kind === "text") {
      out += part.text;
      continue;
    }
    const raw = lookup(context, part.path);
    if (isEmpty(raw) && !part.filters.some((f) => f.name === "default") && !missing.includes(part.path)) {
      missing.push(part.path);
    }
    const value = part.filters.reduce<unknown>(applyFilter, raw);
    const text = asText(value);
    out += escape === "markdown" && MARKDOWN_VALUES.has(part.path) ? text : escapers[escape](text);
  }
  return { text: out, missing };
}
