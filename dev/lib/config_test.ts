import assert from "node:assert/strict";
import { makeApiKeys } from "./config.mjs";

Deno.test("makeApiKeys derives the same keys from the same secret, whenever it runs", async () => {
  const first = await makeApiKeys("a-jwt-secret-of-at-least-thirty-two-chars");
  await new Promise((resolve) => setTimeout(resolve, 1100)); // across a second boundary: iat must not drift
  const second = await makeApiKeys("a-jwt-secret-of-at-least-thirty-two-chars");
  assert.deepEqual(second, first);
  const other = await makeApiKeys("another-jwt-secret-of-at-least-32-chars");
  assert.notEqual(other.anonKey, first.anonKey);
});

Deno.test("functionEnv points Slack and Discord at the sandbox family, unless a real app is configured", async () => {
  const { functionEnv, generateSecrets, sandboxEnv } = await import("./config.mjs");
  const secrets = generateSecrets();
  const ports = { gateway: 1, db: 2, sandbox: 54329, web: 3 };
  const args = { ports, dbUrl: "postgres://x", secrets, keys: { anonKey: "a", serviceRoleKey: "s" }, appOrigin: "http://w" };
  const local: Record<string, string | undefined> = functionEnv({ ...args, env: {} });
  assert.equal(local.SLACK_AUTHORIZE_URL, "http://127.0.0.1:54329/slack/oauth/v2/authorize");
  assert.equal(local.SLACK_TOKEN_URL, "http://127.0.0.1:54329/slack/api/oauth.v2.access");
  assert.equal(local.SLACK_API_BASE_URL, "http://127.0.0.1:54329/slack/api");
  // the sandbox's webhooks: its hooks.slack.com/services/ (Discord's derive from its API base)
  assert.equal(local.SLACK_WEBHOOK_BASE_URL, "http://127.0.0.1:54329/slack/hooks/services/");
  assert.equal(local.DISCORD_WEBHOOK_BASE_URL, undefined);
  assert.equal(local.DISCORD_AUTHORIZE_URL, "http://127.0.0.1:54329/discord/oauth2/authorize");
  assert.equal(local.DISCORD_TOKEN_URL, "http://127.0.0.1:54329/discord/api/oauth2/token");
  assert.equal(local.DISCORD_API_BASE_URL, "http://127.0.0.1:54329/discord/api/v10");
  // the product and the sandbox share the generated app credentials
  const sandbox: Record<string, string> = sandboxEnv({ ports, secrets, dataDir: "/data" });
  for (const name of ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET"]) {
    assert.ok(local[name]);
    assert.equal(sandbox[name], local[name], name);
  }
  assert.equal(sandbox.SLACK_SANDBOX_STATE_FILE, "/data/slack-sandbox.json");
  assert.equal(sandbox.DISCORD_SANDBOX_STATE_FILE, "/data/discord-sandbox.json");

  const real: Record<string, string | undefined> = functionEnv({ ...args, env: { SLACK_CLIENT_ID: "real-id", SLACK_CLIENT_SECRET: "real-secret" } });
  assert.equal(real.SLACK_CLIENT_ID, "real-id");
  assert.equal(real.SLACK_AUTHORIZE_URL, undefined, "the real Slack: the product's defaults apply");
  assert.equal(real.SLACK_WEBHOOK_BASE_URL, undefined);
  assert.equal(real.DISCORD_CLIENT_ID, local.DISCORD_CLIENT_ID);
});

Deno.test("a row in SANDBOXED_PROVIDERS is all a sandboxed provider needs: generated credentials, the functions' and the sandbox's environment", async () => {
  const { SANDBOXED_PROVIDERS, functionEnv, generateSecrets, sandboxEnv } = await import("./config.mjs");
  const rows = SANDBOXED_PROVIDERS as Record<string, unknown>;
  rows.ACME = {
    name: "Acme",
    secrets: ["acmeClientId", "acmeClientSecret"],
    sandbox: (base: string) => ({ authorize: `${base}/acme/authorize`, token: `${base}/acme/token`, api: `${base}/acme/api` }),
  };
  try {
    const secrets: Record<string, string> = generateSecrets();
    assert.ok(secrets.acmeClientId && secrets.acmeClientSecret, "credentials generated");
    const ports = { gateway: 1, db: 2, sandbox: 54329, web: 3 };
    const args = { ports, dbUrl: "postgres://x", secrets, keys: { anonKey: "a", serviceRoleKey: "s" }, appOrigin: "http://w" };
    const local: Record<string, string | undefined> = functionEnv({ ...args, env: {} });
    const sandbox: Record<string, string> = sandboxEnv({ ports, secrets, dataDir: "/data" });
    for (const name of ["ACME_CLIENT_ID", "ACME_CLIENT_SECRET"]) {
      assert.ok(local[name], name);
      assert.equal(sandbox[name], local[name], name);
    }
    assert.equal(local.ACME_AUTHORIZE_URL, "http://127.0.0.1:54329/acme/authorize");
    assert.equal(sandbox.ACME_SANDBOX_STATE_FILE, "/data/acme-sandbox.json");
  } finally {
    delete rows.ACME;
  }
});
