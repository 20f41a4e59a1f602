// GET /api/teams/:teamId/members: the team's members (possible lead owners), with their public profile.
import { authenticate } from "../../_shared/auth.ts";
import { asUser } from "../../_shared/db.ts";
import { jsonResponse, type Route, type RouteParams } from "../../_shared/http.ts";
import { requireMember, uuidParam } from "./common.ts";

export interface Member {
  user_id: string;
  email: string | null;
  full_name: string | null;
  role: string;
}

async function listMembers(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  const teamId = uuidParam(params, "teamId");
  const members = await asUser(claims, async (tx) => {
    await requireMember(tx, teamId);
    return await tx<Member[]>`
      select m.user_id, p.email, p.full_name, m.role
        from public.team_members m
        left join public.profiles p on p.id = m.user_id
       where m.team_id = ${teamId}
       order by lower(coalesce(p.full_name, p.email, '')), m.user_id`;
  });
  return jsonResponse({ members });
}

export const memberRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/members", handler: listMembers },
];
