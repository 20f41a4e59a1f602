// The team's members: GET (everyone in the team; possible lead owners too), PATCH a role and DELETE a membership.
// Row-level security decides who may change what (owners and admins; only an owner touches an owner; anyone leaves;
// the last owner stays, a trigger under a lock); these handlers check the same rules first only to explain a refusal
// with the right code, and map what the database refuses (membership_errors.ts).
import { z } from "zod";
import type { TeamRole } from "../../_shared/auth.ts";
import type { Tx } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { mappingMembershipErrors, ownerOnly } from "./membership_errors.ts";
import { teamRoute } from "./team_route.ts";

export interface Member {
  user_id: string;
  email: string | null;
  full_name: string | null;
  role: string;
}

export const ROLES = ["owner", "admin", "member"] as const;

const roleBody = z.strictObject({ role: z.enum(ROLES) });

async function membersOf(tx: Tx, teamId: string, userId?: string): Promise<Member[]> {
  return await tx<Member[]>`
    select m.user_id, p.email, p.full_name, m.role
      from public.team_members m
      left join public.profiles p on p.id = m.user_id
     where m.team_id = ${teamId} ${userId ? tx`and m.user_id = ${userId}` : tx``}
     order by lower(coalesce(p.full_name, p.email, '')), m.user_id`;
}

/** The target's role (404 member_not_found when not in the team), refused as the policies would refuse it. */
async function targetRole(tx: Tx, teamId: string, userId: string, callerRole: TeamRole): Promise<TeamRole> {
  const [row] = await tx<{ role: TeamRole }[]>`
    select role from public.team_members where team_id = ${teamId} and user_id = ${userId}`;
  if (!row) throw new AppError("member_not_found", "This person is not a member of the team.");
  if (row.role === "owner" && callerRole !== "owner") throw ownerOnly();
  return row.role;
}

const listMembers = teamRoute(async ({ teamId, asMember }) => {
  const members = await asMember((tx) => membersOf(tx, teamId));
  return jsonResponse({ members });
});

const changeRole = teamRoute(async ({ teamId, uuid, body, asAdmin }) => {
  const userId = uuid("userId");
  const { role } = await body(roleBody, { gate: "admin" });
  const member = await mappingMembershipErrors(() =>
    asAdmin(async (tx, callerRole) => {
      await targetRole(tx, teamId, userId, callerRole);
      if (role === "owner" && callerRole !== "owner") throw ownerOnly();
      const changed = await tx`
        update public.team_members set role = ${role}
         where team_id = ${teamId} and user_id = ${userId} returning user_id`;
      if (changed.length === 0) throw new AppError("forbidden", "This change is not allowed.");
      return (await membersOf(tx, teamId, userId))[0];
    })
  );
  return jsonResponse({ member });
});

/** Anyone may remove themselves (leave); removing someone else takes an admin (an owner for an owner). */
const removeMember = teamRoute(async ({ teamId, uuid, claims, asMember }) => {
  const userId = uuid("userId");
  await mappingMembershipErrors(() =>
    asMember(async (tx, callerRole) => {
      if (userId !== claims.sub) {
        if (callerRole === "member") throw new AppError("not_team_admin", "Only a team owner or admin can remove a member.");
        await targetRole(tx, teamId, userId, callerRole);
      }
      const removed = await tx`
        delete from public.team_members where team_id = ${teamId} and user_id = ${userId} returning user_id`;
      if (removed.length === 0) throw new AppError("forbidden", "This change is not allowed.");
    })
  );
  return new Response(null, { status: 204 });
});

export const memberRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/members", handler: listMembers },
  { method: "PATCH", path: "/api/teams/:teamId/members/:userId", handler: changeRole },
  { method: "DELETE", path: "/api/teams/:teamId/members/:userId", handler: removeMember },
];
