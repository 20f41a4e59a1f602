// GET /api/teams: the caller's teams with their role. POST /api/teams { name }: a new team, the caller its owner
// (201 { team: { id, name, role: "owner" } }); name trimmed, 1-100 characters (400 invalid_request naming it).
import { z } from "zod";
import { authenticate } from "../../_shared/auth.ts";
import { asUser } from "../../_shared/db.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { parseBody } from "./common.ts";

const createBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

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
  const { name } = await parseBody(req, createBody);
  const team = await asUser(claims, async (tx) => {
    const [{ id }] = await tx<{ id: string }[]>`select private.create_team(${name}) as id`;
    return { id, name, role: "owner" as const };
  });
  return jsonResponse({ team }, 201);
}

export const teamRoutes: Route[] = [
  { method: "GET", path: "/api/teams", handler: listTeams },
  { method: "POST", path: "/api/teams", handler: createTeam },
];
