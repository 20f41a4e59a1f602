// The one Discord server the sandbox knows: "Acme" with three text channels, and the app's defaults.

export const DISCORD_PREFIX = "/discord";

export const GUILD = { id: "1180000000000000001", name: "Acme" } as const;
/** The person who clicks Authorize (what /users/@me returns). */
export const USER = { id: "1180000000000000100", username: "sandy", global_name: "Sandy Sandbox" } as const;
export const APPLICATION_ID = "1180000000000000900";
/** Discord names a new webhook after the app. */
export const WEBHOOK_NAME = "Team CRM";

export const CHANNELS = [
  { id: "1180000000000000011", name: "#general" },
  { id: "1180000000000000012", name: "#sales" },
  { id: "1180000000000000013", name: "#leads" },
] as const;

export function channelById(id: string | null): (typeof CHANNELS)[number] | undefined {
  return CHANNELS.find((c) => c.id === id);
}

export const DEFAULT_CLIENT = { clientId: "sandbox-discord-client-id", clientSecret: "sandbox-discord-client-secret" };

/** providers.md §1: `expires_in: 604800` (7 days). */
export const ACCESS_TOKEN_TTL_SECONDS = 604_800;
export const CODE_TTL_SECONDS = 600;
