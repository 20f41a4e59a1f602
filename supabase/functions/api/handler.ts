// The app's API over a team's CRM: teams, integrations, members, settings, leads (with notes and
// timeline), tasks, meetings (and manual links), the Fathom sync and automations.
// Every query runs as the caller (asUser), so row-level security decides; the route modules in ./routes validate
// input and shape answers. This file only composes them.
import { router, withBodyLimit, withCors, withErrorHandling } from "../_shared/http.ts";
import { integrationMessageRoutes } from "./routes/integration_messages.ts";
import { integrationRoutes } from "./routes/integrations.ts";
import { invitationRoutes } from "./routes/invitations.ts";
import { inviteRoutes } from "./routes/invites.ts";
import { leadRoutes } from "./routes/leads.ts";
import { meetingRoutes } from "./routes/meetings.ts";
import { memberRoutes } from "./routes/members.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { syncRoutes } from "./routes/sync.ts";
import { teamRoutes } from "./routes/teams.ts";
import { activityRoutes } from "./routes/activity.ts";
import { meetingLinkRoutes } from "./routes/meeting_links.ts";
import { noteRoutes } from "./routes/notes.ts";
import { taskRoutes } from "./routes/tasks.ts";
import { timelineRoutes } from "./routes/timeline.ts";
import { typeformFormRoutes } from "./routes/typeform_forms.ts";
import { automationCatalogRoutes } from "./routes/automation_catalog.ts";
import { automationEndpointRoutes } from "./routes/automation_endpoints.ts";
import { automationRunRoutes } from "./routes/automation_runs.ts";
import { automationRoutes } from "./routes/automations.ts";

// withBodyLimit: a body declared over MAX_JSON_BODY_BYTES is 413 before authentication or any database work
export const handler = withCors(
  withBodyLimit(withErrorHandling(router([
    ...teamRoutes,
    ...integrationRoutes,
    ...integrationMessageRoutes,
    ...leadRoutes,
    ...meetingRoutes,
    ...memberRoutes,
    ...settingsRoutes,
    ...syncRoutes,
    ...typeformFormRoutes,
    ...inviteRoutes,
    ...invitationRoutes,
    ...activityRoutes,
    ...taskRoutes,
    ...noteRoutes,
    ...timelineRoutes,
    ...meetingLinkRoutes,
    ...automationCatalogRoutes,
    ...automationRoutes,
    ...automationRunRoutes,
    ...automationEndpointRoutes,
  ]))),
  ["GET", "POST", "PATCH", "DELETE"],
);
