// "Send test message": POST /api/teams/:teamId/integrations/:provider/test-message (admins; empty body) posts a fixed
// plain-text message through notify() and answers 200 { status: "sent", destination }. Errors as notify's
// (_shared/chat/notify.ts), plus 404 team_not_found for outsiders and 403 not_team_admin for members; a 429 carries
// Retry-After.
import { notify, ProviderRateLimited } from "../../_shared/chat/notify.ts";
import { recordTestMessageSent } from "../../_shared/chat/store.ts";
import { AppError } from "../../_shared/errors.ts";
import { errorResponse, jsonResponse, type Route } from "../../_shared/http.ts";
import { isProviderId } from "../../_shared/oauth/registry.ts";
import { teamRoute } from "./team_route.ts";

const sendTestMessage = teamRoute(async ({ params, claims, teamId, asAdmin }) => {
  if (!isProviderId(params.provider)) throw new AppError("not_found", "Unknown provider.");
  const provider = params.provider;
  const { teamName, sender } = await asAdmin(async (tx) => {
    const [row] = await tx<{ team_name: string; full_name: string | null; email: string | null }[]>`
      select t.name as team_name, p.full_name, p.email
        from public.teams t left join public.profiles p on p.id = auth.uid()
       where t.id = ${teamId}`;
    return { teamName: row.team_name, sender: row.full_name?.trim() || row.email || "a team admin" };
  }, "Only a team owner or admin can send a test message.");
  try {
    await notify(teamId, provider, {
      title: "Test message from Team CRM",
      text: `${sender} sent this test message for the team ${teamName}. Notifications will arrive here.`,
    });
  } catch (err) {
    if (!(err instanceof ProviderRateLimited)) throw err;
    const response = errorResponse(err.code, err.message, err.status);
    response.headers.set("retry-after", String(err.retryAfterSeconds));
    return response;
  }
  const destination = await recordTestMessageSent(teamId, provider, claims.sub);
  return jsonResponse({ status: "sent", destination });
});

export const integrationMessageRoutes: Route[] = [
  { method: "POST", path: "/api/teams/:teamId/integrations/:provider/test-message", handler: sendTestMessage },
];
