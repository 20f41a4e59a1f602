import { vi } from "vitest";
import type { Api } from "@/lib/api";

export { ApiError } from "@/lib/apiError";

/** Stand-in for src/lib/api.ts: tests stub the app's one boundary with the back end. */
export const api = {
  listTeams: vi.fn(),
  listIntegrations: vi.fn(),
  disconnectIntegration: vi.fn(),
  startFathomOAuth: vi.fn(),
} satisfies Record<keyof Api, unknown>;

export const request = vi.fn();
export const toApiError = vi.fn();
