// A team's send_webhook endpoints (issue 11): members see each one's name, host and path hint (endpoints.ts
// pathHint: the path with anything token-like as "…", never the query), never its URL or signing secret (the
// columns are not granted), and the rules that send to it (`used_by`, for the delete dialog); admins add one (the secret is in that answer and never again: it is not
// logged, and no route reads it back) and remove one no enabled rule's current version uses. The URL rule, the
// secret and the encryption are _shared/automations/endpoints.ts's.
import { z } from "zod";
import { createEndpoint, endpointHints, endpointsInUse, pathHint } from "../../_shared/automations/endpoints.ts";
import { asService, type Tx } from "../../_shared/db.ts";
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

/** An endpoint in the list: `path_hint` (endpoints.ts pathHint) and the rules whose current version sends to it. */
export interface EndpointListItem extends EndpointSummary {
  path_hint: string;
  used_by: { id: string; name: string; enabled: boolean }[];
}

const REFUSAL = "Only a team owner or admin can manage webhook endpoints.";

// shapes only; the name's bounds and the URL rule are createEndpoint's (400 invalid_request / invalid_url)
const createBody = z.object({ name: z.string().max(1000), url: z.string().max(10_000) });

/** 23505 on automation_endpoints (team_id, name): the team already has an endpoint of that name. */
function isDuplicateName(err: unknown): boolean {
  const e = err as { code?: unknown; constraint_name?: unknown } | null;
  return e?.code === "23505" && typeof e.constraint_name === "string" && e.constraint_name.includes("name");
}

/** Rules (id, name, enabled) whose current version sends to each endpoint, by endpoint id; as the caller (RLS). */
async function endpointUsers(tx: Tx, teamId: string): Promise<Map<string, EndpointListItem["used_by"]>> {
  const rows = await tx<{ endpoint_id: string; id: string; name: string; enabled: boolean }[]>`
    select distinct lower(a ->> 'endpoint_id') as endpoint_id, r.id, r.name, r.enabled, lower(r.name) as sort
      from public.automation_rules r
      join public.automation_rule_versions v on v.id = r.current_version_id
      cross join lateral jsonb_array_elements(v.actions) a
     where r.team_id = ${teamId} and a ->> 'type' = 'send_webhook' and a ? 'endpoint_id'
     order by sort, r.id`;
  const users = new Map<string, EndpointListItem["used_by"]>();
  for (const { endpoint_id, id, name, enabled } of rows) {
    users.set(endpoint_id, [...(users.get(endpoint_id) ?? []), { id, name, enabled }]);
  }
  return users;
}

const listEndpoints = teamRoute(async ({ teamId, asMember }) => {
  const [endpoints, users] = await asMember(async (tx) => [
    await tx<EndpointSummary[]>`
      select id, name, url_host, created_at from public.automation_endpoints
       where team_id = ${teamId}
       order by lower(name), id`,
    await endpointUsers(tx, teamId),
  ] as const);
  // the caller may read the team's endpoints (above, under RLS); only then is the URL read, for its hint
  const hints = endpoints.length > 0 ? await asService((tx) => endpointHints(tx, teamId)) : new Map<string, string>();
  const items: EndpointListItem[] = endpoints.map((e) => ({
    ...e,
    path_hint: hints.get(e.id) ?? e.url_host,
    used_by: users.get(e.id) ?? [],
  }));
  return jsonResponse({ endpoints: items });
});

const addEndpoint = teamRoute(async ({ teamId, body, asAdmin }) => {
  const input = await body(createBody, { gate: "admin", refusal: REFUSAL });
  try {
    const created = await asAdmin((tx) => createEndpoint(tx, { teamId, name: input.name, url: input.url }), REFUSAL);
    const endpoint: EndpointListItem = { ...created.endpoint, path_hint: pathHint(new URL(input.url.trim())), used_by: [] };
    return jsonResponse({ endpoint, secret: created.secret }, 201);
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
      const names = ((await endpointUsers(tx, teamId)).get(endpointId) ?? []).filter((r) => r.enabled).map((r) => r.name);
      const which = names.length > 0 ? `${names.length === 1 ? "An enabled automation sends" : "Enabled automations send"} to this endpoint: ${names.join(", ")}` : "An enabled automation sends to this endpoint";
      throw new AppError("endpoint_in_use", `${which}. Change or turn them off first.`);
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
