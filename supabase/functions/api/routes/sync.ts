// "Import past meetings": GET (members) reads the team's Fathom sync, POST (admins) starts or resumes it and drives
// it in the background; after a completed import it lists only what is new unless the body says `{ "full": true }`.
// Mounted by the api function's router.
import { z } from "zod";
import { scheduleDrive, startSync } from "../../_shared/fathom/backfill.ts";
import { readSyncView } from "../../_shared/fathom/backfill-state.ts";
import { inboxView } from "../../_shared/fathom/inbox.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { teamRoute } from "./team_route.ts";

/** The body is optional: no body means `{}`. */
const startSchema = z.strictObject({ full: z.boolean().optional() });

/** `{ sync, inbox }`: the import's state and the webhook deliveries waiting or failed (inbox.ts). */
const readSync = teamRoute(async ({ teamId, asMember }) => {
  const sync = await asMember((tx) => readSyncView(tx, teamId));
  return jsonResponse({ sync, inbox: await inboxView(teamId) });
});

// Admins only: startSync checks (403 not_team_admin) after the member gate let the body be read.
const runSync = teamRoute(async ({ claims, teamId, body }) => {
  const { integrationId, sync } = await startSync(claims, teamId, await body(startSchema, { emptyAs: {} }));
  scheduleDrive(integrationId);
  return jsonResponse({ sync }, 202);
});

export const syncRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations/fathom/sync", handler: readSync },
  { method: "POST", path: "/api/teams/:teamId/integrations/fathom/sync", handler: runSync },
];
