// "Import past meetings": GET (members) reads the team's Fathom sync, POST (admins) starts or resumes it and drives
// it in the background. Mounted by the api function's router.
import { z } from "zod";
import { authenticate } from "../../_shared/auth.ts";
import { getSync, scheduleDrive, startSync } from "../../_shared/fathom/backfill.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route, type RouteParams } from "../../_shared/http.ts";

const teamIdSchema = z.uuid();

function parseTeamId(params: RouteParams): string {
  const parsed = teamIdSchema.safeParse(params.teamId);
  if (!parsed.success) throw new AppError("invalid_request", "teamId must be a UUID.");
  return parsed.data.toLowerCase();
}

async function readSync(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  return jsonResponse({ sync: await getSync(claims, parseTeamId(params)) });
}

async function runSync(req: Request, params: RouteParams): Promise<Response> {
  const claims = await authenticate(req);
  const { integrationId, sync } = await startSync(claims, parseTeamId(params));
  scheduleDrive(integrationId);
  return jsonResponse({ sync }, 202);
}

export const syncRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations/fathom/sync", handler: readSync },
  { method: "POST", path: "/api/teams/:teamId/integrations/fathom/sync", handler: runSync },
];
