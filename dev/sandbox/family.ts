// The sandbox family: Fathom's sandbox and the Slack and Discord ones behind one handler (one port). Routing by
// path prefix: /slack/… and /discord/… go to their modules; GET / is the family's home page; GET /fathom/ shows
// Fathom's own overview (Fathom's `/`); everything else is Fathom's (its paths, /external/v1 and /_sandbox, are
// those of the real Fathom and of the stack's readiness check, so they stay at the root).

import { htmlResponse } from "./http.ts";
import { type FathomSummary, homePage } from "./home-page.ts";
import type { ProviderSandbox } from "./provider.ts";

/** What the family needs of Fathom's sandbox (fathom-sandbox/sandbox.ts's Sandbox has it). */
export interface FathomMember {
  handler(req: Request): Promise<Response>;
  setPublicUrl(url: string): void;
  state(): { counts: { meetings: number; webhooks: number; active_grants: number } };
}

export interface Family {
  handler(req: Request): Promise<Response>;
  setPublicUrl(url: string): void;
  readonly publicUrl: string;
}

export const FATHOM_PAGE = "/fathom/";

function belongsTo(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

export function createFamily({ fathom, providers, publicUrl }: { fathom: FathomMember | null; providers: ProviderSandbox[]; publicUrl: string }): Family {
  let base = publicUrl.replace(/\/+$/, "");
  const summary = (): FathomSummary | null => fathom ? fathom.state().counts : null;

  async function handler(req: Request): Promise<Response> {
    const url = new URL(req.url);
    for (const provider of providers) {
      if (belongsTo(url.pathname, provider.prefix)) {
        // "/slack" alone: the page lives at "/slack/" so its relative links work
        if (url.pathname === provider.prefix && req.method === "GET") return Response.redirect(new URL(`${provider.prefix}/`, url), 301);
        return await provider.handler(req);
      }
    }
    if (url.pathname === "/" && req.method === "GET") return htmlResponse(homePage(base, summary(), providers));
    if (!fathom) return htmlResponse("Not found", 404);
    if (url.pathname === FATHOM_PAGE || url.pathname === "/fathom") {
      return await fathom.handler(new Request(new URL(`/${url.search}`, url), req));
    }
    const res = await fathom.handler(req);
    // Fathom's "Simulate a new recording" form sends the browser back to Fathom's overview, which lives here now.
    if (res.status === 303 && res.headers.get("location") === "/") {
      return new Response(null, { status: 303, headers: { location: FATHOM_PAGE } });
    }
    return res;
  }

  return {
    handler,
    setPublicUrl(url) {
      base = url.replace(/\/+$/, "");
      fathom?.setPublicUrl(base);
      for (const p of providers) p.setPublicUrl(base);
    },
    get publicUrl() {
      return base;
    },
  };
}
