import { z } from "zod/mini";
import { count, field, isoTime, mapped, objectOrNull, trimmed } from "./tolerant";
import type { FathomInbox, FathomSync, FathomSyncState } from "./types";

/**
 * The parser of a meetings provider's import and webhook inbox state (GET …/integrations/:provider/sync), apart from
 * fathomSchema.ts (in every page's entry chunk, for the Integrations rows): only the provider dialogs' import panel
 * asks for it, so api.ts loads it with the first answer (the Integrations page's budget, issue 10). Older servers
 * send fewer fields; absent ones become null, never a crash.
 */

const inbox = mapped(
  objectOrNull(
    z.object({ pending: count(0), failed: count(0), last_error: trimmed, last_error_text: trimmed, last_failed_at: isoTime }),
  ),
  (i): FathomInbox | null => i,
);

const syncState = z.object({
  sync: field((v) => (v && typeof v === "object" && !Array.isArray(v) ? (v as FathomSync) : null)),
  inbox,
});

/** GET api/teams/:teamId/integrations/fathom/sync: `{ sync, inbox }`; `inbox` is null when the server sent none. */
export function parseSyncState(raw: unknown): FathomSyncState {
  const r = syncState.safeParse(raw ?? {});
  return r.success ? r.data : { sync: null, inbox: null };
}
