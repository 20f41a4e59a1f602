// Zoom's part of a connection's life beyond OAuth (passed to the engine through _shared/lifecycle.ts): a new
// connection starts "Import past recordings" (zoom/backfill-step.ts on the shared driver). New recordings need no
// registration: Zoom's event subscription is the app's (one URL, zoom-webhook), routed by account. Revocation at
// disconnect is the engine's (the entry's rfc7009 `revocation`). Best effort: never fails the connect.
import { scheduleDrive, startSyncFor } from "../fathom/backfill.ts";
import { logError } from "../http.ts";
import type { ConnectionContext, ProviderHooks } from "../oauth/types.ts";

/** ZOOM_SYNC_ON_CONNECT=false leaves the import to an admin (tests, like FATHOM_SYNC_ON_CONNECT). */
function syncOnConnect(): boolean {
  return Deno.env.get("ZOOM_SYNC_ON_CONNECT")?.trim().toLowerCase() !== "false";
}

async function afterConnect(ctx: ConnectionContext): Promise<void> {
  if (!syncOnConnect()) return;
  try {
    await startSyncFor(ctx.integrationId);
    scheduleDrive(ctx.integrationId);
  } catch (err) {
    logError("zoom afterConnect: import", err);
  }
}

export const zoomHooks: ProviderHooks = { afterConnect };
