// Shared set-up for the gateway tests: a gateway on an ephemeral port over the fixture functions.
import { createGateway } from "./gateway.ts";
import type { FunctionHandler } from "./functions-router.ts";
import { filePath } from "./file-url.ts";
import { makeApiKeys } from "../lib/config.mjs";

export const TEST_JWT_SECRET = "gateway-test-secret-with-at-least-32-characters";
export const FIXTURE_FUNCTIONS_DIR = filePath(new URL("./testdata/functions/", import.meta.url));
export const FIXTURE_CONFIG_TOML = filePath(new URL("./testdata/config.toml", import.meta.url));

/** The real database for the auth tests; unset means those tests are skipped. */
export const DB_URL = Deno.env.get("SUPABASE_DB_URL");
/** postgres.js connects lazily, so tests that never touch auth can run against no database at all. */
export const UNUSED_DB_URL = "postgres://unused:unused@127.0.0.1:1/unused";

/** For `ignore:` of the tests that need SUPABASE_DB_URL; says why they are skipped. */
export function withoutDatabase(suite: string): boolean {
  if (!DB_URL) {
    console.warn(
      `SUPABASE_DB_URL is not set: skipping ${suite} (it needs a database with dev/db/bootstrap.sql, ` +
        "supabase/migrations/*.sql and supabase/seed.sql applied).",
    );
  }
  return !DB_URL;
}

export interface TestGateway {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  close(): Promise<void>;
}

export async function startTestGateway(
  options: { needsDb?: boolean; extraFunctions?: Record<string, FunctionHandler> } = {},
): Promise<TestGateway> {
  const keys = await makeApiKeys(TEST_JWT_SECRET);
  // The access tokens' issuer embeds the gateway URL, which is known only once the port is bound.
  let handler: (req: Request) => Promise<Response> = () => Promise.resolve(new Response(null, { status: 503 }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => handler(req));
  const url = `http://127.0.0.1:${server.addr.port}`;
  try {
    const gateway = await createGateway({
      functionsDir: FIXTURE_FUNCTIONS_DIR,
      configToml: FIXTURE_CONFIG_TOML,
      env: {
        SUPABASE_URL: url,
        SUPABASE_DB_URL: options.needsDb ? DB_URL! : UNUSED_DB_URL,
        SUPABASE_JWT_SECRET: TEST_JWT_SECRET,
        SUPABASE_ANON_KEY: keys.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
      },
      extraFunctions: options.extraFunctions,
    });
    handler = gateway.handler;
    return {
      url,
      ...keys,
      close: async () => {
        await server.shutdown();
        await gateway.close();
      },
    };
  } catch (error) {
    await server.shutdown();
    throw error;
  }
}

export function uniqueEmail(): string {
  return `gw-test-${crypto.randomUUID()}@example.test`;
}
