// `npm start` names one origin for the app: the banner, Vite, APP_ORIGIN's first entry and Auth's site_url agree
// (a session made on http://localhost:5173 is missing on http://127.0.0.1:5173). And the banner shows the API keys
// and the local mailbox, as `supabase start` does.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { parseTomlSubset } from "../gateway/supabase-config.ts";
import { startBanner } from "./banner.mjs";
import { functionEnv, generateSecrets, localAppOrigins, portsFromEnv, root, webOrigin } from "./config.mjs";

const ports = portsFromEnv({});
const keys = { anonKey: "anon.jwt.value", serviceRoleKey: "service.jwt.value" };
const urls = { web: webOrigin(ports), api: "http://127.0.0.1:54321", db: "postgres://db", sandbox: "http://127.0.0.1:54329" };

function bannerWebApp(banner: string): string {
  const match = banner.match(/^\s*Web app\s+(\S+)$/m);
  assert.ok(match, banner);
  return match[1];
}

Deno.test("the banner, APP_ORIGIN's first entry, Vite and Auth's site_url name the same app origin", async () => {
  const origin = bannerWebApp(startBanner({ urls, keys, dbUrl: undefined, dataDir: `${root}/.data`, env: {} }));
  assert.equal(origin, "http://127.0.0.1:5173");

  const env = functionEnv({ ports, dbUrl: "postgres://x", secrets: generateSecrets(), keys, appOrigin: localAppOrigins(ports).join(","), env: {} });
  assert.equal(env.APP_ORIGIN?.split(",")[0], origin);

  const vite = (await import("../../vite.config.ts")).default as { server: { host: string; port: number }; preview: { host: string; port: number } };
  for (const server of [vite.server, vite.preview]) assert.equal(`http://${server.host}:${server.port}`, origin);

  const auth = parseTomlSubset(await readFile(`${root}/supabase/config.toml`, "utf8")).get("auth");
  assert.equal(auth?.get("site_url"), origin);
  assert.deepEqual(auth?.get("additional_redirect_urls"), [origin]);
});

Deno.test("the banner prints the anon and service_role keys, as `supabase start` does", () => {
  const banner = startBanner({ urls, keys, dbUrl: undefined, dataDir: `${root}/.data`, env: {} });
  assert.match(banner, /^\s*anon key\s+anon\.jwt\.value$/m);
  assert.match(banner, /^\s*service_role key\s+service\.jwt\.value$/m);
});

Deno.test("the banner says where the local mailbox is (Confirm email is on), as `supabase start` names Inbucket", () => {
  const banner = startBanner({ urls, keys, dbUrl: undefined, dataDir: `${root}/.data`, env: {} });
  assert.match(banner, /^\s*Mailbox \(Auth e-mails\)\s+http:\/\/127\.0\.0\.1:54321\/_dev\/mailbox\?email=<address>$/m);
});
