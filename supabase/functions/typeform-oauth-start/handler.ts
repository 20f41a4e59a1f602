// POST { teamId, redirectUri } -> { authUrl, confirmSecret }: the first leg of "Connect Typeform" (_shared/oauth-handlers.ts).
import { oauthStartHandler } from "../_shared/oauth-handlers.ts";

export const handler = oauthStartHandler("typeform");
