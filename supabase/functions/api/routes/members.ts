// GET /api/teams/:teamId/members: the team's members (possible lead owners), with their public profile.
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { teamRoute } from "./team_route.ts";

export interface Member {
  user_id: string;
  email: string | null;
  full_name: string | null;
  role: string;
}

const listMembers = teamRoute(async ({ teamId, asMember }) => {
  const members = await asMember((tx) =>
    tx<Member[]>`
      select m.user_id, p.email, p.full_name, m.role
        from public.team_members m
        left join public.profiles p on p.id = m.user_id
       where m.team_id = ${teamId}
       order by lower(coalesce(p.full_name, p.email, '')), m.user_id`
  );
  return jsonResponse({ members });
});

export const memberRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/members", handler: listMembers },
];
