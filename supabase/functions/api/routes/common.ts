// What every route module of the `api` function shares: path/query/body validation (zod -> 400 invalid_request
// naming the field), search patterns and opaque page cursors. The team gate is in team_route.ts.
import { z } from "zod";
import { AppError } from "../../_shared/errors.ts";
import { assertStorableJson, invalidRequest, readJson, type RouteParams, unstorableText } from "../../_shared/http.ts";

const uuid = z.uuid();

/** A UUID path segment (lower-cased), or 400 invalid_request naming it. */
export function uuidParam(params: RouteParams, name: string): string {
  const parsed = uuid.safeParse(params[name]);
  if (!parsed.success) throw new AppError("invalid_request", `${name} must be a UUID.`);
  return parsed.data.toLowerCase();
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(parsed.error.issues);
  return parsed.data;
}

/** The JSON body validated by `schema`; with `emptyAs`, no body at all stands for that value. */
export async function parseBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  opts: { emptyAs?: unknown } = {},
): Promise<z.output<S>> {
  return parseWith(schema, await readJson(req, opts));
}

/**
 * The query string validated by `schema`: each parameter's last value, or every value (an array) for the names in
 * `lists`. A value PostgreSQL cannot store as text (NUL, e.g. `?q=%00`) is 400 invalid_request naming the parameter.
 */
export function parseQuery<S extends z.ZodType>(
  req: Request,
  schema: S,
  opts: { lists?: readonly string[] } = {},
): z.output<S> {
  const params = new URL(req.url).searchParams;
  const input: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const problem = unstorableText(name) ?? unstorableText(value);
    if (problem) throw new AppError("invalid_request", `Query parameter ${safeName(name)} ${problem}.`);
    input[name] = opts.lists?.includes(name) ? params.getAll(name) : value;
  }
  return parseWith(schema, input);
}

/** A parameter name for a message: only when it is a plain identifier (never echo arbitrary input). */
function safeName(name: string): string {
  return /^[A-Za-z][A-Za-z0-9_]{0,30}$/.test(name) ? name : "(unnamed)";
}

/** A free-text search term as an ILIKE pattern matching it anywhere, LIKE wildcards in the term taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `q`: optional search text, trimmed; empty means no filter. */
export const searchText = z.string().trim().max(200).optional().transform((v) => v || undefined);

/**
 * A keyset cursor's timestamp, exactly as the stores print it (`to_char(... 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, UTC,
 * microseconds) AND a real instant PostgreSQL accepts: years 0001-9999, a day that exists in its month, hours
 * 00-23. `2025-02-30...` or year 0000 would otherwise reach the database and fail there.
 */
export function isSortKeyTimestamp(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // 2000: a leap year, for February 29
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : daysInMonth);
}

/** An opaque page cursor: base64url of the JSON of `value` (no padding). */
export function encodeJsonCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The value of a cursor made by encodeJsonCursor, validated by `schema`; anything else (not base64url, not UTF-8
 * JSON, the wrong shape, text PostgreSQL cannot store) is 400 invalid_request "cursor is invalid.".
 */
export function decodeJsonCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    assertStorableJson(value, "cursor");
    return schema.parse(value);
  } catch {
    throw new AppError("invalid_request", "cursor is invalid.");
  }
}
