// A team's CRM settings: members read, admins change. The update runs as the caller, so RLS ("admins update")
// decides; when it touches no row, the caller's role says why (404 for outsiders, 403 for plain members).
import { z } from "zod";
import { loadMembership } from "../../_shared/auth.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { teamRoute } from "./team_route.ts";

export interface TeamSettings {
  create_leads_from_unknown_attendees: boolean;
}

const patchSchema = z.object({ create_leads_from_unknown_attendees: z.boolean() });

const getSettings = teamRoute(async ({ teamId, asMember }) => {
  const settings = await asMember(async (tx) => {
    const rows = await tx<TeamSettings[]>`
      select create_leads_from_unknown_attendees from public.team_settings where team_id = ${teamId}`;
    // every team gets its row from a trigger; the defaults stand in should one be missing
    return rows[0] ?? { create_leads_from_unknown_attendees: false };
  });
  return jsonResponse({ settings });
});

// Admins only, by RLS: the update touches no row for anyone else, and only then is the role read to say why.
const updateSettings = teamRoute(async ({ teamId, body, asUser }) => {
  const patch = await body(patchSchema);
  const settings = await asUser(async (tx) => {
    const rows = await tx<TeamSettings[]>`
      update public.team_settings
         set create_leads_from_unknown_attendees = ${patch.create_leads_from_unknown_attendees}
       where team_id = ${teamId}
      returning create_leads_from_unknown_attendees`;
    if (rows.length > 0) return rows[0];
    const role = await loadMembership(tx, teamId);
    if (!role) throw new AppError("team_not_found", "Team not found.");
    if (role === "member") throw new AppError("not_team_admin", "Only a team owner or admin can change settings.");
    throw new AppError("not_found", "This team has no settings.");
  });
  return jsonResponse({ settings });
});

export const settingsRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/settings", handler: getSettings },
  { method: "PATCH", path: "/api/teams/:teamId/settings", handler: updateSettings },
];
