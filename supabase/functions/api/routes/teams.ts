// GET /api/teams: the caller's teams with their role. POST /api/teams { name }: a new team, the caller its owner
// (201 { team: { id, name, role: "owner" } }); name trimmed, 1-100 characters, no control or format characters, at
// least one visible one (400 invalid_team_name with the rule; _shared/team_name.ts, the database's the same).
// Limits (private.limits()): 429 too_many_teams beyond 10 created in 24 hours, 409 team_limit beyond 50 owned.
import { z } from "zod";
import { authenticate } from "../../_shared/auth.ts";
import { asUser } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { invalidRequest, jsonResponse, readJson, type Route } from "../../_shared/http.ts";
import { teamName } from "../../_shared/team_name.ts";
import { mappingMembershipErrors } from "./membership_errors.ts";

const createBody = z.strictObject({ name: teamName });

/** The body's team name, or 400: invalid_team_name with the rule it breaks, invalid_request for anything else. */
async function readCreateBody(req: Request): Promise<{ name: string }> {
  const parsed = createBody.safeParse(await readJson(req));
  if (parsed.success) return parsed.data;
  const nameIssue = parsed.error.issues.find((i) => i.path[0] === "name" && i.code === "custom");
  if (nameIssue) throw new AppError("invalid_team_name", nameIssue.message);
  throw invalidRequest(parsed.error.issues);
}

async function listTeams(req: Request): Promise<Response> {
  const claims = await authenticate(req);
  const teams = await asUser(claims, (tx) =>
    tx<{ id: string; name: string; role: string }[]>`
      select t.id, t.name, m.role
        from public.teams t
        join public.team_members m on m.team_id = t.id and m.user_id = auth.uid()
       order by t.name, t.id`);
  return jsonResponse({ teams });
}

async function createTeam(req: Request): Promise<Response> {
  const claims = await authenticate(req);
  const { name } = await readCreateBody(req);
  const team = await mappingMembershipErrors(() =>
    asUser(claims, async (tx) => {
      const [{ id }] = await tx<{ id: string }[]>`select private.create_team(${name}) as id`;
      return { id, name, role: "owner" as const };
    })
  );
  return jsonResponse({ team }, 201);
}

export const teamRoutes: Route[] = [
  { method: "GET", path: "/api/teams", handler: listTeams },
  { method: "POST", path: "/api/teams", handler: createTeam },
];
