import assert from "node:assert/strict";
import { parseTomlSubset, readSupabaseConfig } from "./supabase-config.ts";

Deno.test("config.toml: verify_jwt is on unless a function's table says false", () => {
  const config = readSupabaseConfig(`
project_id = "x" # comment
[functions.open]
verify_jwt = false
[functions.stringly]
verify_jwt = "false"
[functions."quoted"]
verify_jwt = false
[functions.on]
verify_jwt = true
`);
  assert.equal(config.verifyJwt("open"), false);
  assert.equal(config.verifyJwt("quoted"), false);
  assert.equal(config.verifyJwt("on"), true);
  assert.equal(config.verifyJwt("stringly"), true, "only the boolean false turns verification off");
  assert.equal(config.verifyJwt("not-configured"), true);
});

Deno.test("config.toml: [auth] settings with GoTrue's defaults", () => {
  assert.deepEqual(readSupabaseConfig("").auth, {
    jwtExpirySeconds: 3600,
    refreshTokenReuseIntervalSeconds: 10,
    enableSignup: true,
    enableConfirmations: false,
    siteUrl: "http://127.0.0.1:3000",
    additionalRedirectUrls: [],
    otpExpirySeconds: 3600,
    emailMaxFrequencySeconds: 60,
  });
  const config = readSupabaseConfig(
    "[auth]\njwt_expiry = 600\nrefresh_token_reuse_interval = 0\nsite_url = \"http://app.test\"\n" +
      "additional_redirect_urls = [\"http://other.test\"]\n" +
      "[auth.email]\nenable_signup = false\nenable_confirmations = true\notp_expiry = 900\nmax_frequency = \"2m\"\n",
  );
  assert.deepEqual(config.auth, {
    jwtExpirySeconds: 600,
    refreshTokenReuseIntervalSeconds: 0,
    enableSignup: false,
    enableConfirmations: true,
    siteUrl: "http://app.test",
    additionalRedirectUrls: ["http://other.test"],
    otpExpirySeconds: 900,
    emailMaxFrequencySeconds: 120,
  });
});

Deno.test("config.toml: the repository's own file parses", async () => {
  const text = await Deno.readTextFile(new URL("../../supabase/config.toml", import.meta.url));
  const tables = parseTomlSubset(text);
  assert.deepEqual(tables.get("auth")?.get("additional_redirect_urls"), ["http://127.0.0.1:5173"]);
  assert.equal(readSupabaseConfig(text).verifyJwt("fathom-oauth-callback"), false);
  // Invites rely on proven addresses (docs/deploy.md): the local stack must confirm e-mails as hosted Supabase does.
  assert.equal(readSupabaseConfig(text).auth.enableConfirmations, true);
});

Deno.test("config.toml: strings keep '#', unsupported syntax is reported with its line", () => {
  assert.equal(parseTomlSubset('a = "x # y"').get("")?.get("a"), "x # y");
  assert.throws(() => parseTomlSubset("[a]\nnot toml"), /line 2/);
});
