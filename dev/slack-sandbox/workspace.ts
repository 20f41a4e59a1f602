// The one Slack workspace the sandbox knows: "Acme Sales" with three channels, and the app's defaults.

export const SLACK_PREFIX = "/slack";

export const WORKSPACE = { id: "T0ACMESALE", name: "Acme Sales", domain: "acme-sales" } as const;
/** The person who clicks Allow on the consent page. */
export const INSTALLER = { id: "U0SANDY001", name: "sandy" } as const;
export const BOT_USER_ID = "U0CRMBOT01";
export const APP_ID = "A0TEAMCRM1";

export const CHANNELS = [
  { id: "C0GENERAL1", name: "#general" },
  { id: "C0SALES001", name: "#sales" },
  { id: "C0LEADS001", name: "#leads" },
] as const;

export function channelById(id: string | null): (typeof CHANNELS)[number] | undefined {
  return CHANNELS.find((c) => c.id === id);
}

export const DEFAULT_CLIENT = { clientId: "sandbox-slack-client-id", clientSecret: "sandbox-slack-client-secret" };

/** Slack: "With token rotation, access tokens expire every 12 hours" (providers.md §2, S8). */
export const ROTATING_TOKEN_TTL_SECONDS = 43_200;
/** Slack's codes expire after 10 minutes. */
export const CODE_TTL_SECONDS = 600;
