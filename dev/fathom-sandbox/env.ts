// Fathom sandbox options from the environment (see README.md), shared by main.ts and the family's dev/sandbox/main.ts.

import { type CursorMode, DEFAULT_PORT, type SandboxClient, type SandboxOptions } from "./sandbox.ts";

export function numberFromEnv(name: string): number | undefined {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** "100,200,400" -> [100, 200, 400]; "" or unset -> the default; "none" -> no retries. */
function scheduleFromEnv(name: string): number[] | undefined {
  const raw = Deno.env.get(name)?.trim();
  if (!raw) return undefined;
  if (raw === "none") return [];
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new Error(`${name} must be comma-separated milliseconds, e.g. 100,200,400; got "${raw}"`);
  }
  return values;
}

function cursorModeFromEnv(name: string): CursorMode | undefined {
  const raw = Deno.env.get(name)?.trim();
  if (!raw) return undefined;
  if (raw !== "page" && raw !== "keyset") throw new Error(`${name} must be page or keyset, got "${raw}"`);
  return raw;
}

/** The port (FATHOM_SANDBOX_PORT, default 54329; 0 picks a free one). */
export function portFromEnv(): number {
  return numberFromEnv("FATHOM_SANDBOX_PORT") ?? DEFAULT_PORT;
}

export function fathomOptionsFromEnv(): SandboxOptions {
  const clientId = Deno.env.get("FATHOM_CLIENT_ID");
  const clientSecret = Deno.env.get("FATHOM_CLIENT_SECRET");
  const clients: SandboxClient[] = clientId && clientSecret ? [{ clientId, clientSecret }] : [];

  const options: SandboxOptions = {
    clients,
    rateLimit: {
      limit: numberFromEnv("FATHOM_SANDBOX_RATE_LIMIT"),
      windowMs: numberFromEnv("FATHOM_SANDBOX_RATE_WINDOW_MS"),
    },
    accessTokenTtlSeconds: numberFromEnv("FATHOM_SANDBOX_TOKEN_TTL"),
    publicUrl: Deno.env.get("FATHOM_SANDBOX_PUBLIC_URL") || undefined,
    demoMeetings: Deno.env.get("FATHOM_SANDBOX_DEMO_MEETINGS") !== "false",
    deliveryTimeoutMs: numberFromEnv("FATHOM_SANDBOX_DELIVERY_TIMEOUT_MS"),
    retryScheduleMs: scheduleFromEnv("FATHOM_SANDBOX_RETRY_SCHEDULE_MS"),
    cursorMode: cursorModeFromEnv("FATHOM_SANDBOX_CURSOR_MODE"),
    // Fathom finishes a late summary within minutes; "never" keeps it unfinished (POST /_sandbox/summaries/ready)
    summaryDelayMs: Deno.env.get("FATHOM_SANDBOX_SUMMARY_DELAY_MS")?.trim() === "never"
      ? null
      : numberFromEnv("FATHOM_SANDBOX_SUMMARY_DELAY_MS") ?? 120_000,
  };
  return options;
}
