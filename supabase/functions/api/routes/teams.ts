// GET /api/teams: the caller's teams with their role.
import { authenticate } from "../../_shared/auth.ts";
import { asUser } from "../../_shared/db.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";

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

export const teamRoutes: Route[] = [
  { method: "GET", path: "/api/teams", handler: listTeams },
];
