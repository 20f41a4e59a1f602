import { z } from "zod/mini";
import { isoTime, listOf, objectOrNull, textOr, mapped, trimmed } from "./tolerant";
import type { ChatDestination, IntegrationWarning, TeamIntegration } from "./types";

/**
 * Parsers for the Fathom connection's answers (docs/architecture.md, "Edge functions"): the integration rows'
 * `webhook_triggers` and `warning`, and a disconnect's answer (the import and inbox state: syncSchema.ts). Older
 * servers send fewer fields; absent ones become null, never a crash.
 */

const warning = mapped(
  objectOrNull(z.object({ code: textOr("warning"), message: trimmed, at: isoTime })),
  (w): IntegrationWarning | null => (w?.message ? { code: w.code, message: w.message, at: w.at } : null),
);

const triggers = listOf(trimmed);

/** Names come from Slack or Discord (untrusted): text only, and null unless something is left to show. */
const destination = mapped(
  objectOrNull(z.object({ channel: trimmed, channelId: trimmed, workspace: trimmed, workspaceId: trimmed })),
  (d): ChatDestination | null => (d && (d.channel || d.workspace) ? d : null),
);

/** A row of GET api/teams/:teamId/integrations with `webhook_triggers`, `warning` and `destination` made safe to render. */
export function parseIntegration(row: TeamIntegration): TeamIntegration {
  return {
    ...row,
    webhook_triggers: triggers.parse(row.webhook_triggers),
    warning: warning.parse(row.warning),
    destination: destination.parse(row.destination),
  };
}

/** POST .../test-message's `destination` (or a row's), made safe to render; null when absent or empty. */
export function parseDestination(raw: unknown): ChatDestination | null {
  return destination.parse(raw);
}

/** What a disconnect left to do by hand (DisconnectResult). */
export interface DisconnectResult {
  /** the provider's cleanup failed (e.g. Fathom's webhook could not be deleted), else null */
  warning: IntegrationWarning | null;
  /** the provider did not confirm the grant's revocation: the server's sentence saying where to remove the app */
  revocationMessage: string | null;
}

/**
 * DELETE api/teams/:teamId/integrations/:provider answers 204 (no body) or 200 `{ warning: { code, message } | null,
 * revoked, revocation_message }` when the provider's cleanup failed or its revocation was not confirmed.
 */
export function parseDisconnectResult(raw: unknown): DisconnectResult {
  if (!raw || typeof raw !== "object") return { warning: null, revocationMessage: null };
  const r = raw as { warning?: unknown; revoked?: unknown; revocation_message?: unknown };
  const message = typeof r.revocation_message === "string" ? r.revocation_message.trim() : "";
  return {
    warning: warning.parse(r.warning),
    revocationMessage: r.revoked === false && message ? message : null,
  };
}
