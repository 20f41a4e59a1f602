// A team's send_webhook endpoints (issue 11): members see each one's name and host, never its URL or signing
// secret (the columns are not granted); admins add one (the secret is in that answer and never again) and remove
// one no enabled rule's current version uses.
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { teamRoute } from "./team_route.ts";

export interface EndpointSummary {
  id: string;
  name: string;
  url_host: string;
  created_at: Date;
}

const listEndpoints = teamRoute(async ({ teamId, asMember }) => {
  const endpoints = await asMember((tx) =>
    tx<EndpointSummary[]>`
      select id, name, url_host, created_at from public.automation_endpoints
       where team_id = ${teamId}
       order by lower(name), id`
  );
  return jsonResponse({ endpoints });
});

export const automationEndpointRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/automation-endpoints", handler: listEndpoints },
];
