// What every route module of the `api` function shares: path/query/body validation (zod -> 400 invalid_request
// naming the field) and the membership gate that turns "not a member" and "no such team" into the same 404.
import { z } from "zod";
import { loadMembership, type TeamRole } from "../../_shared/auth.ts";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { invalidRequest, readJson, type RouteParams } from "../../_shared/http.ts";

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

/** The query string validated by `schema` (each parameter's first value). */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseWith(schema, Object.fromEntries(new URL(req.url).searchParams));
}

/** The caller's role in the team, read through RLS; a non-member (or an unknown team) is 404 team_not_found. */
export async function requireMember(tx: Tx, teamId: string): Promise<TeamRole> {
  const role = await loadMembership(tx, teamId);
  if (!role) throw new AppError("team_not_found", "Team not found.");
  return role;
}

/** A free-text search term as an ILIKE pattern matching it anywhere, LIKE wildcards in the term taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `q`: optional search text, trimmed; empty means no filter. */
export const searchText = z.string().trim().max(200).optional().transform((v) => v || undefined);
