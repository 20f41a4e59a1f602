// GET ?code&state | ?error&state from Typeform -> 302 to the app's callback page (_shared/oauth-handlers.ts).
import { oauthCallbackHandler } from "../_shared/oauth-handlers.ts";

export const handler = oauthCallbackHandler("typeform");
