// A team's integrations: list (members; 404 team_not_found otherwise) and disconnect (admins, via the OAuth engine:
// 204, or 200 { warning, revoked, revocation_message } when the provider kept something the team has to remove by
// hand, or did not confirm the revocation).
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { hooksFor } from "../../_shared/lifecycle.ts";
import { disconnect } from "../../_shared/oauth/engine.ts";
import { isProviderId } from "../../_shared/oauth/registry.ts";
import { teamRoute } from "./team_route.ts";

const listIntegrations = teamRoute(async ({ teamId, asMember }) => {
  const integrations = await asMember((tx) =>
    tx`select * from public.team_integrations_public where team_id = ${teamId} order by provider`
  );
  return jsonResponse({ integrations });
});

// No gate here: the OAuth engine checks that the caller is an admin (403 not_team_admin, outsiders too) in the
// transaction that deletes the connection.
const removeIntegration = teamRoute(async ({ params, claims, teamId }) => {
  if (!isProviderId(params.provider)) throw new AppError("not_found", "Unknown provider.");
  // 204 when all was cleaned up; else 200 { warning, revoked, revocation_message }: `warning` ({ code, message })
  // when the provider kept something (e.g. webhook_cleanup_failed), `revoked: false` with a sentence saying where to
  // remove the app when the provider did not confirm the grant's revocation. The connection is gone either way.
  const { warning, revocation } = await disconnect(params.provider, { claims, teamId }, hooksFor(params.provider));
  if (!warning && revocation.revoked !== false) return new Response(null, { status: 204 });
  return jsonResponse({ warning, revoked: revocation.revoked, revocation_message: revocation.message });
});

export const integrationRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations", handler: listIntegrations },
  { method: "DELETE", path: "/api/teams/:teamId/integrations/:provider", handler: removeIntegration },
];
