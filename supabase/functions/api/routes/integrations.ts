// A team's integrations: list (members; 404 team_not_found otherwise) and disconnect (admins, via the OAuth engine:
// 204, or 200 { warning } when the provider kept something the team has to remove by hand).
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
  // 204 when all was cleaned up; 200 { warning: { code, message } } when something was left at the provider
  // (e.g. webhook_cleanup_failed): the connection is gone either way.
  const { warning } = await disconnect(params.provider, { claims, teamId }, hooksFor(params.provider));
  return warning ? jsonResponse({ warning }) : new Response(null, { status: 204 });
});

export const integrationRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations", handler: listIntegrations },
  { method: "DELETE", path: "/api/teams/:teamId/integrations/:provider", handler: removeIntegration },
];
