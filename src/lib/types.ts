export type TeamRole = "owner" | "admin" | "member";

export interface Team {
  id: string;
  name: string;
  role: TeamRole;
}

export type ProviderId = "discord" | "slack" | "zoom" | "typeform" | "fathom";

export type IntegrationStatus = "connected" | "needs_reauth" | "error" | "disconnected";

/** A row of team_integrations_public, as returned by GET api/teams/:teamId/integrations. */
export interface TeamIntegration {
  id?: string;
  team_id?: string;
  provider: ProviderId | string;
  status: IntegrationStatus;
  account_id?: string | null;
  account_name?: string | null;
  account_email?: string | null;
  scopes?: string[] | null;
  token_expires_at?: string | null;
  connected_by?: string | null;
  connected_by_email?: string | null;
  connected_at?: string | null;
  last_error?: string | null;
  last_error_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
}

export function isTeamAdmin(role: TeamRole | undefined | null): boolean {
  return role === "owner" || role === "admin";
}
