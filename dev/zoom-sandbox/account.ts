// The Zoom sandbox's fixed world: its prefix, the registered app, the users one may sign in as on the consent page
// (two accounts, so routing by account_id can be tested), and Zoom's numbers (providers.md §3).

export const ZOOM_PREFIX = "/zoom";
export const DEFAULT_CLIENT = { clientId: "sandbox-zoom-client-id", clientSecret: "sandbox-zoom-client-secret" };
/** Default secret token of the app's event subscription (Marketplace -> Features -> Access). */
export const DEFAULT_WEBHOOK_SECRET_TOKEN = "sandbox-zoom-webhook-secret-token";

/** Authorization codes: 5 minutes, single use (providers.md §3, Z3/Z8). */
export const CODE_TTL_SECONDS = 300;
/** Access tokens: one hour (Z3). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** GET /users/me/recordings: page_size default 30, at most 300; next_page_token lives 15 minutes (Z2 + secondary). */
export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 300;
export const PAGE_TOKEN_TTL_MS = 15 * 60 * 1000;

export interface ZoomUser {
  id: string;
  account_id: string;
  first_name: string;
  last_name: string;
  email: string;
  timezone: string;
  /** shown on the consent page's picker */
  account_name: string;
}

export const USERS: readonly ZoomUser[] = [
  { id: "KDcuGIm1QgePTO8WbOqwIQ", account_id: "pFHKEJ3bQ1m4yLJDx9NQxw", first_name: "Avery", last_name: "Host", email: "avery.host@acme-sales.example", timezone: "Europe/Berlin", account_name: "Acme Sales (Pro)" },
  { id: "z8yCxjabQ4uSFDeNgEqL0w", account_id: "pFHKEJ3bQ1m4yLJDx9NQxw", first_name: "Sam", last_name: "Seller", email: "sam.seller@acme-sales.example", timezone: "America/New_York", account_name: "Acme Sales (Pro)" },
  { id: "Qw3rTy7uIoPa5sDfGhJkLz", account_id: "Zx9cVbNmAsDfGhJkLqWeRt", first_name: "Robin", last_name: "Other", email: "robin@other-corp.example", timezone: "UTC", account_name: "Other Corp (Business)" },
];

export function userById(id: string | null): ZoomUser | undefined {
  return USERS.find((u) => u.id === id);
}

/** Scopes the sandbox knows: granular ones (Z4) and their classic equivalents. */
export const KNOWN_SCOPES = new Set([
  "user:read:user",
  "cloud_recording:read:list_user_recordings",
  "cloud_recording:read:list_recording_files",
  "meeting:read:list_past_participants",
  "user:read",
  "recording:read",
  "meeting:read",
]);

/** A token may call an endpoint when it holds one of these scopes (granular or classic). */
export const SCOPES_FOR = {
  me: ["user:read:user", "user:read"],
  recordings: ["cloud_recording:read:list_user_recordings", "recording:read"],
  participants: ["meeting:read:list_past_participants", "meeting:read"],
} as const;
