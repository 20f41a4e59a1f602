// The signed-in user's own invitations (the invitee's side of api/routes/invites.ts): nobody joins a team until they
// accept here, signed in with the invited address confirmed (migration 20261202000400_invites_are_accepted.sql).
//   GET    /api/invitations                     -> { invitations: [Invitation] } (pending, newest first; empty while
//                                                  the caller's address is unconfirmed)
//   POST   /api/invitations/:inviteId/accept     -> 200 { team: { id, name, role } } (idempotent: again answers the same)
//   POST   /api/invitations/:inviteId/decline    -> 204; DELETE /api/invitations/:inviteId the same
// Errors: 400 invalid_request (not a UUID), 401, 403 email_not_confirmed, 404 invite_not_found (unknown, revoked,
// declined, or addressed to someone else: the same answer).
import { authenticate } from "../../_shared/auth.ts";
import { asUser } from "../../_shared/db.ts";
import { jsonResponse, type Route, type RouteHandler } from "../../_shared/http.ts";
import { uuidParam } from "./common.ts";
import { mappingMembershipErrors } from "./membership_errors.ts";

export interface Invitation {
  id: string;
  team_id: string;
  team_name: string;
  role: "owner" | "admin" | "member";
  /** the inviter's full name and e-mail (null when their account is gone) */
  invited_by_name: string | null;
  invited_by_email: string | null;
  /** ISO 8601, UTC, milliseconds */
  created_at: string;
}

const listMine: RouteHandler = async (req) => {
  const claims = await authenticate(req);
  const invitations = await asUser(claims, (tx) =>
    tx<Invitation[]>`
      select id, team_id, team_name, role, invited_by_name, invited_by_email,
             to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
        from private.my_invitations()`);
  return jsonResponse({ invitations });
};

const accept: RouteHandler = async (req, params) => {
  const claims = await authenticate(req);
  const inviteId = uuidParam(params, "inviteId");
  const team = await mappingMembershipErrors(() =>
    asUser(claims, async (tx) => {
      const [row] = await tx<{ team_id: string; role: string }[]>`
        select team_id, role from private.accept_invitation(${inviteId})`;
      // the caller is a member now, so the team's name is theirs to read
      const [{ name }] = await tx<{ name: string }[]>`select name from public.teams where id = ${row.team_id}`;
      return { id: row.team_id, name, role: row.role };
    })
  );
  return jsonResponse({ team });
};

const decline: RouteHandler = async (req, params) => {
  const claims = await authenticate(req);
  const inviteId = uuidParam(params, "inviteId");
  await mappingMembershipErrors(() => asUser(claims, (tx) => tx`select private.decline_invitation(${inviteId})`));
  return new Response(null, { status: 204 });
};

export const invitationRoutes: Route[] = [
  { method: "GET", path: "/api/invitations", handler: listMine },
  { method: "POST", path: "/api/invitations/:inviteId/accept", handler: accept },
  { method: "POST", path: "/api/invitations/:inviteId/decline", handler: decline },
  { method: "DELETE", path: "/api/invitations/:inviteId", handler: decline },
];
