// The app's read/manage API over teams and their integrations. Every query runs as the caller (asUser), so
// row-level security is what decides; this file only validates input and shapes answers.
import { z } from "zod";
import { authenticate, loadMembership } from "../_shared/auth.ts";
import { asUser } from "../_shared/db.ts";
import { AppError } from "../_shared/errors.ts";
import { jsonResponse, type RouteParams, router, withCors, withErrorHandling } from "../_shared/http.ts";
import { disconnect } from "../_shared/oauth/engine.ts";
import { isProviderId } from "../_shared/oauth/registry.ts";

const teamId = z.uuid();

function parseTeamId(params: RouteParams): string {
  const parsed = teamId.safeParse(params.teamId);
  if (!parsed.success) throw new AppError("invalid_request", "teamId must be a UUID.");
  return parsed.data.toLowerCase();
}

async function listTeams(req: Request): Promise<Response> {
  const claims = await authenticate(req);
  const teams = await asUser(claims, (tx) =>
    tx<{ id: string; name: string; role: string }[]>`
      select t.id, t.name, m.role
        from public.teams t
        join public.team_members m on m.team_id = t.id and m.user_id = auth.uid()
       order by t.name, t.id`
  );
  return jsonResponse({ teams });
}

async function listIntegrations(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  const id = parseTeamId(params);
  const integrations = await asUser(claims, async (tx) => {
    if (!await loadMembership(tx, id)) throw new AppError("team_not_found", "Team not found.");
    return await tx`select * from public.team_integrations_public where team_id = ${id} order by provider`;
  });
  return jsonResponse({ integrations });
}

async function removeIntegration(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  const id = parseTeamId(params);
  if (!isProviderId(params.provider)) throw new AppError("not_found", "Unknown provider.");
  await disconnect(params.provider, { claims, teamId: id });
  return new Response(null, { status: 204 });
}

export const handler = withCors(
  withErrorHandling(router([
    { method: "GET", path: "/api/teams", handler: listTeams },
    { method: "GET", path: "/api/teams/:teamId/integrations", handler: listIntegrations },
    { method: "DELETE", path: "/api/teams/:teamId/integrations/:provider", handler: removeIntegration },
  ])),
  ["GET", "DELETE"],
);
