// The lifecycle hooks of every provider, by id, for the handlers to pass into the OAuth engine (engine.ts). Kept
// out of oauth/: the registry and the token refresh must never load a provider's API client, webhook or import
// code (that would close an import cycle through fathom/connection.ts -> oauth/refresh.ts).
import { discordHooks } from "./discord/lifecycle.ts";
import { fathomHooks } from "./fathom/lifecycle.ts";
import type { ProviderHooks, ProviderId } from "./oauth/types.ts";
import { zoomHooks } from "./zoom/lifecycle.ts";
import { typeformHooks } from "./typeform/lifecycle.ts";

/** Only providers with code around a connection; the others (Slack) declare all in their entries. */
const hooks: Readonly<Partial<Record<ProviderId, ProviderHooks>>> = {
  fathom: fathomHooks,
  discord: discordHooks, // deletes the channel webhook on disconnect and the old one on reconnect
  zoom: zoomHooks, // starts "Import past recordings" on connect (events need no registration: one app-level URL)
  typeform: typeformHooks, // deletes the forms' webhooks on disconnect and before a reconnect replaces the account
};

/** The hooks for a provider (an empty object when it has none). */
export function hooksFor(id: ProviderId): ProviderHooks {
  return hooks[id] ?? {};
}
