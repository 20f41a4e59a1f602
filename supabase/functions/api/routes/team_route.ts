// The opening every /api/teams/:teamId/... route shares: authenticate the caller (401), read :teamId (400 unless a
// UUID), then run the route's work behind the team gate: "not a member" and "no such team" are the same 404
// team_not_found, so an outsider learns nothing about which teams exist; an admin-only gate answers a plain member
// 403 not_team_admin. The gate is a statement of the route's own transaction (ctx.asMember / ctx.asAdmin), never a
// transaction of its own, except before a body is read (ctx.body): an outsider's upload is never read at all.
import type { z } from "zod";
import { authenticate, loadMembership, type TeamRole } from "../../_shared/auth.ts";
import { asUser, type Tx, type UserClaims } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import type { RouteHandler, RouteParams } from "../../_shared/http.ts";
import { parseBody, uuidParam } from "./common.ts";

export type TeamGate = "member" | "admin";

/** What a team route's handler is given: who calls, for which team, and the ways to run work as the caller. */
export interface TeamContext {
  req: Request;
  params: RouteParams;
  claims: UserClaims;
  /** the :teamId path segment, lower-cased */
  teamId: string;
  /** Another UUID path segment (lower-cased), or 400 invalid_request naming it. */
  uuid(name: string): string;
  /** ONE transaction as the caller, the member gate its first statement (404 team_not_found). */
  asMember<T>(work: (tx: Tx, role: TeamRole) => Promise<T>): Promise<T>;
  /** ONE transaction as the caller, the admin gate its first statement (404 team_not_found, 403 not_team_admin). */
  asAdmin<T>(work: (tx: Tx, role: TeamRole) => Promise<T>, refusal?: string): Promise<T>;
  /**
   * ONE transaction as the caller with no gate: where row-level security decides and the caller's role only explains
   * a refusal afterwards, or a later transaction of a request that passed the gate already.
   */
  asUser<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * The JSON body validated by `schema` (400 invalid_request naming the field), read only after the caller passed
   * `gate` (default "member"; `refusal` is the 403's message) in a short transaction of its own; the write
   * transaction checks again where it must. With `emptyAs`, no body at all stands for that value.
   */
  body<S extends z.ZodType>(
    schema: S,
    opts?: { emptyAs?: unknown; gate?: TeamGate; refusal?: string },
  ): Promise<z.output<S>>;
}

const ADMIN_REFUSAL = "Only a team owner or admin can do this.";

/** The caller's role in the team, read through RLS; a non-member (or an unknown team) is 404 team_not_found. */
export async function requireMember(tx: Tx, teamId: string): Promise<TeamRole> {
  const role = await loadMembership(tx, teamId);
  if (!role) throw new AppError("team_not_found", "Team not found.");
  return role;
}

/** An owner or admin of the team: 404 team_not_found for outsiders (as every team route), 403 for members. */
export async function requireAdmin(tx: Tx, teamId: string, refusal = ADMIN_REFUSAL): Promise<TeamRole> {
  const role = await requireMember(tx, teamId);
  if (role === "member") throw new AppError("not_team_admin", refusal);
  return role;
}

/**
 * A route handler for /api/teams/:teamId/...: authenticates, reads :teamId, and hands `handler` a TeamContext.
 * Nothing else runs before the handler, so a route parses its other path segments and its query string first (400)
 * and opens exactly the transactions it opened by hand before (no extra round trip).
 */
export function teamRoute(handler: (ctx: TeamContext) => Promise<Response>): RouteHandler {
  return async (req, params) => {
    const claims = await authenticate(req);
    const teamId = uuidParam(params, "teamId");
    const gated = <T>(gate: (tx: Tx) => Promise<TeamRole>, work: (tx: Tx, role: TeamRole) => Promise<T>) =>
      asUser(claims, async (tx) => await work(tx, await gate(tx)));
    return await handler({
      req,
      params,
      claims,
      teamId,
      uuid: (name) => uuidParam(params, name),
      asMember: (work) => gated((tx) => requireMember(tx, teamId), work),
      asAdmin: (work, refusal) => gated((tx) => requireAdmin(tx, teamId, refusal), work),
      asUser: (work) => asUser(claims, work),
      body: async (schema, opts = {}) => {
        await asUser(claims, (tx) =>
          opts.gate === "admin" ? requireAdmin(tx, teamId, opts.refusal) : requireMember(tx, teamId));
        return await parseBody(req, schema, opts);
      },
    });
  };
}
