// A team's integrations: list (members; 404 team_not_found otherwise) and disconnect (admins, via the OAuth engine:
// 204, or 200 { warning } when the provider kept something the team has to remove by hand).
import { authenticate } from "../../_shared/auth.ts";
import { asUser } from "../../_shared/db.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route, type RouteParams } from "../../_shared/http.ts";
import { hooksFor } from "../../_shared/lifecycle.ts";
import { disconnect } from "../../_shared/oauth/engine.ts";
import { isProviderId } from "../../_shared/oauth/registry.ts";
import { requireMember, uuidParam } from "./common.ts";

async function listIntegrations(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  const teamId = uuidParam(params, "teamId");
  const integrations = await asUser(claims, async (tx) => {
    await requireMember(tx, teamId);
    return await tx`select * from public.team_integrations_public where team_id = ${teamId} order by provider`;
  });
  return jsonResponse({ integrations });
}

async function removeIntegration(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  const teamId = uuidParam(params, "teamId");
  if (!isProviderId(params.provider)) throw new AppError("not_found", "Unknown provider.");
  // 204 when all was cleaned up; 200 { warning: { code, message } } when something was left at the provider
  // (e.g. webhook_cleanup_failed): the connection is gone either way.
  const { warning } = await disconnect(params.provider, { claims, teamId }, hooksFor(params.provider));
  return warning ? jsonResponse({ warning }) : new Response(null, { status: 204 });
}

export const integrationRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations", handler: listIntegrations },
  { method: "DELETE", path: "/api/teams/:teamId/integrations/:provider", handler: removeIntegration },
];
