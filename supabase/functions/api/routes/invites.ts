// Invites by e-mail (owners and admins): GET the pending ones, POST one, DELETE (revoke) one.
// POST /api/teams/:teamId/invites { email, role? = "member" } -> 201 { outcome: "invited", invite }, the same answer
// whether an account has that address or not (no name, no "joined"): nobody joins until the invitee, signed in with
// that address confirmed, accepts (api/routes/invitations.ts). 400 invalid_email, 409 already_member (a member of
// this team has that address) / invite_exists / too_many_invites (100 pending), 403 not_team_owner for role
// "owner" by an admin. The database function private.invite_team_member decides; see the migrations
// 20261202000100_team_membership.sql and 20261202000400_invites_are_accepted.sql.
import { z } from "zod";
import { EMAIL_MAX_CHARS, isEmail } from "../../_shared/email.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import type { Tx } from "../../_shared/db.ts";
import { mappingMembershipErrors, ownerOnly } from "./membership_errors.ts";
import { ROLES } from "./members.ts";
import { teamRoute } from "./team_route.ts";

export interface Invite {
  id: string;
  email: string;
  role: string;
  invited_by_email: string | null;
  created_at: string;
}

const inviteBody = z.strictObject({
  // longer than any address: the e-mail rule, not the schema, says what is valid (400 invalid_email)
  email: z.string().max(EMAIL_MAX_CHARS * 2),
  role: z.enum(ROLES).default("member"),
});

async function invitesOf(tx: Tx, teamId: string, inviteId?: string): Promise<Invite[]> {
  return await tx<Invite[]>`
    select i.id, i.email, i.role, p.email as invited_by_email,
           to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
      from public.team_invites i
      left join public.profiles p on p.id = i.invited_by
     where i.team_id = ${teamId} and i.accepted_at is null ${inviteId ? tx`and i.id = ${inviteId}` : tx``}
     order by i.created_at desc, i.id`;
}

const listInvites = teamRoute(async ({ teamId, asAdmin }) => {
  const invites = await asAdmin((tx) => invitesOf(tx, teamId));
  return jsonResponse({ invites });
});

const createInvite = teamRoute(async ({ teamId, body, asAdmin }) => {
  const { email, role } = await body(inviteBody, { gate: "admin" });
  if (!isEmail(email)) throw new AppError("invalid_email", "email must be a valid e-mail address.");
  const result = await mappingMembershipErrors(() =>
    asAdmin(async (tx, callerRole) => {
      if (role === "owner" && callerRole !== "owner") throw ownerOnly();
      const [row] = await tx<{ invite_id: string }[]>`
        select invite_id from private.invite_team_member(${teamId}, ${email}, ${role})`;
      const [invite] = await invitesOf(tx, teamId, row.invite_id);
      return { outcome: "invited" as const, invite };
    })
  );
  return jsonResponse(result, 201);
});

const revokeInvite = teamRoute(async ({ teamId, uuid, asAdmin }) => {
  const inviteId = uuid("inviteId");
  await asAdmin(async (tx) => {
    const gone = await tx`delete from public.team_invites
       where team_id = ${teamId} and id = ${inviteId} and accepted_at is null returning id`;
    if (gone.length === 0) throw new AppError("invite_not_found", "This invite does not exist or was already used.");
  });
  return new Response(null, { status: 204 });
});

export const inviteRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/invites", handler: listInvites },
  { method: "POST", path: "/api/teams/:teamId/invites", handler: createInvite },
  { method: "DELETE", path: "/api/teams/:teamId/invites/:inviteId", handler: revokeInvite },
];
