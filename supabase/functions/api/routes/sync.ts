// "Import past meetings" of a meeting provider (Fathom, or Zoom's "Import past recordings", which runs on the same
// states): GET (members) reads the team's import, POST (admins) starts or resumes it and drives it in the
// background; after a completed import it lists only what is new unless the body says `{ "full": true }`.
// `:provider` is fathom or zoom (404 not_found otherwise). Mounted by the api function's router.
import { z } from "zod";
import { scheduleDrive, startSync } from "../../_shared/fathom/backfill.ts";
import { isMeetingProvider, type MeetingProvider, readSyncView } from "../../_shared/fathom/backfill-state.ts";
import { AppError } from "../../_shared/errors.ts";
import { inboxView } from "../../_shared/fathom/inbox.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { problemSentence } from "../../_shared/activity/sentences.ts";
import { getProvider } from "../../_shared/oauth/registry.ts";
import { teamRoute } from "./team_route.ts";

/** The body is optional: no body means `{}`. */
const startSchema = z.strictObject({ full: z.boolean().optional() });

/** `:provider`, a meeting provider (404 not_found otherwise). */
function providerOf(params: Record<string, string>): MeetingProvider {
  if (!isMeetingProvider(params.provider)) throw new AppError("not_found", "This integration imports no meetings.");
  return params.provider;
}

/**
 * `{ sync, inbox }`: the import's state and the webhook deliveries waiting or failed (inbox.ts). Each `last_error`
 * (our code) comes with `last_error_text`, the sentence a person reads (activity/sentences.ts), naming the provider.
 */
const readSync = teamRoute(async ({ params, teamId, asMember }) => {
  const provider = providerOf(params);
  const name = getProvider(provider).displayName;
  const sync = await asMember((tx) => readSyncView(tx, teamId, provider));
  const inbox = await inboxView(teamId, provider);
  return jsonResponse({
    sync: sync && { ...sync, last_error_text: problemSentence(sync.last_error, name) },
    inbox: { ...inbox, last_error_text: problemSentence(inbox.last_error, name) },
  });
});

// Admins only: startSync checks (403 not_team_admin) after the member gate let the body be read.
const runSync = teamRoute(async ({ params, claims, teamId, body }) => {
  const provider = providerOf(params);
  const { integrationId, sync } = await startSync(claims, teamId, await body(startSchema, { emptyAs: {} }), provider);
  scheduleDrive(integrationId);
  return jsonResponse({ sync }, 202);
});

export const syncRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/integrations/:provider/sync", handler: readSync },
  { method: "POST", path: "/api/teams/:teamId/integrations/:provider/sync", handler: runSync },
];
