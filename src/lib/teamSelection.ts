const KEY = "crm.selectedTeamId";

export function getStoredTeamId(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeTeamId(teamId: string): void {
  try {
    localStorage.setItem(KEY, teamId);
  } catch {
    // storage unavailable (private mode): the URL still carries the team
  }
}

export function integrationsPath(teamId: string): string {
  return `/teams/${encodeURIComponent(teamId)}/settings/integrations`;
}

/** `/teams/<teamId>/<rest>`. */
export function teamPath(teamId: string, rest = ""): string {
  return `/teams/${encodeURIComponent(teamId)}${rest ? `/${rest.replace(/^\//, "")}` : ""}`;
}
