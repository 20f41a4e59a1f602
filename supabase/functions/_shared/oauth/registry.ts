// Every provider the hub knows, by id. Adding one = one file in providers/ (defineProvider) + one line here.
import { discord } from "./providers/discord.ts";
import { fathom } from "./providers/fathom.ts";
import { slack } from "./providers/slack.ts";
import { typeform } from "./providers/typeform.ts";
import { zoom } from "./providers/zoom.ts";
import type { ProviderDefinition, ProviderId } from "./types.ts";

export const providers: Readonly<Record<ProviderId, ProviderDefinition>> = { fathom, discord, slack, zoom, typeform };

export function isProviderId(value: string): value is ProviderId {
  return Object.hasOwn(providers, value);
}

export function getProvider(id: ProviderId): ProviderDefinition {
  return providers[id];
}
