// A team's send_webhook endpoints (issue 11): members see each one's name and host, never its URL or signing
// secret (the columns are not granted); admins add one (the secret is in that answer and never again: it is not
// logged, and no route reads it back) and remove one no enabled rule's current version uses. The URL rule, the
// secret and the encryption are _shared/automations/endpoints.ts's.
import { z } from "zod";
import { createEndpoint, endpointsInUse } from "../../_shared/automations/endpoints.ts";
import { AppError } from "../../_shared/errors.ts";
import { jsonResponse, type Route } from "../../_shared/http.ts";
import { lockTeamEndpoints } from "./automations_store.ts";
import { teamRoute } from "./team_route.ts";

export interface EndpointSummary {
  id: string;
  name: string;
  url_host: string;
  created_at: Date;
}

const REFUSAL = "Only a team owner or admin can manage webhook endpoints.";

// shapes only; the name's bounds and the URL rule are createEndpoint's (400 invalid_request / invalid_url)
const createBody = z.object({ name: z.string().max(1000), url: z.string().max(10_000) });

/** 23505 on automation_endpoints (team_id, name): the team already has an endpoint of that name. */
function isDuplicateName(err: unknown): boolean {
  const e = err as { code?: unknown; constraint_name?: unknown } | null;
  return e?.code === "23505" && typeof e.constraint_name === "string" && e.constraint_name.includes("name");
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

const addEndpoint = teamRoute(async ({ teamId, body, asAdmin }) => {
  const input = await body(createBody, { gate: "admin", refusal: REFUSAL });
  try {
    const created = await asAdmin((tx) => createEndpoint(tx, { teamId, name: input.name, url: input.url }), REFUSAL);
    return jsonResponse({ endpoint: created.endpoint, secret: created.secret }, 201);
  } catch (err) {
    if (isDuplicateName(err)) throw new AppError("endpoint_exists", "This team already has an endpoint with this name.");
    throw err;
  }
});

const removeEndpoint = teamRoute(async ({ teamId, uuid, asAdmin }) => {
  const endpointId = uuid("endpointId");
  await asAdmin(async (tx) => {
    // a rule being saved or switched on that sends here waits for this removal, then sees the endpoint gone
    await lockTeamEndpoints(tx, teamId);
    if ((await endpointsInUse(tx, teamId)).has(endpointId)) {
      throw new AppError("endpoint_in_use", "An enabled automation sends to this endpoint. Change or disable it first.");
    }
    const rows = await tx`delete from public.automation_endpoints
                           where id = ${endpointId} and team_id = ${teamId} returning id`;
    if (rows.length === 0) throw new AppError("endpoint_not_found", "Webhook endpoint not found.");
  }, REFUSAL);
  return new Response(null, { status: 204 });
});

export const automationEndpointRoutes: Route[] = [
  { method: "GET", path: "/api/teams/:teamId/automation-endpoints", handler: listEndpoints },
  { method: "POST", path: "/api/teams/:teamId/automation-endpoints", handler: addEndpoint },
  { method: "DELETE", path: "/api/teams/:teamId/automation-endpoints/:endpointId", handler: removeEndpoint },
];
