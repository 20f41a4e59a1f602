// supabase-js itself against the gateway: the client the React app uses must work unchanged.
import assert from "node:assert/strict";
import postgres from "postgres";
// Not in the functions' import map (functions never use it), so named here; it resolves to the root node_modules.
// deno-lint-ignore no-import-prefix
import { createClient } from "npm:@supabase/supabase-js@^2";
import { DB_URL, startTestGateway, uniqueEmail, withoutDatabase } from "./test-support.ts";

const DEMO_ADMIN_ID = "11111111-1111-4111-8111-111111111111";

Deno.test({
  name: "supabase-js: sign in, get the user, refresh, invoke a JWT-checked function, sign out",
  ignore: withoutDatabase("the supabase-js tests"),
  async fn() {
    const gateway = await startTestGateway({ needsDb: true });
    const supabase = createClient(gateway.url, gateway.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    try {
      const signIn = await supabase.auth.signInWithPassword({
        email: "demo-admin@example.com",
        password: "demo-password",
      });
      assert.equal(signIn.error, null);
      assert.equal(signIn.data.user?.id, DEMO_ADMIN_ID);
      const firstSession = signIn.data.session!;

      const { data: userData, error: userError } = await supabase.auth.getUser();
      assert.equal(userError, null);
      assert.equal(userData.user?.email, "demo-admin@example.com");

      const refreshed = await supabase.auth.refreshSession();
      assert.equal(refreshed.error, null);
      assert.notEqual(refreshed.data.session?.refresh_token, firstSession.refresh_token);

      const { data: echo, error: invokeError } = await supabase.functions.invoke("needs-jwt/deep/path", {
        body: { hello: "world" },
      });
      assert.equal(invokeError, null);
      assert.equal(echo.pathname, "/needs-jwt/deep/path");
      assert.equal(echo.claims.sub, DEMO_ADMIN_ID);
      assert.equal(echo.claims.role, "authenticated");
      assert.equal(echo.claims.session_id, refreshed.data.session && decodeSessionId(refreshed.data.session.access_token));
      assert.deepEqual(JSON.parse(echo.body), { hello: "world" });

      const wrongPassword = await createClient(gateway.url, gateway.anonKey, { auth: { persistSession: false } })
        .auth.signInWithPassword({ email: "demo-admin@example.com", password: "nope-nope" });
      assert.equal(wrongPassword.error?.code, "invalid_credentials");
      assert.equal(wrongPassword.error?.status, 400);

      const signOut = await supabase.auth.signOut();
      assert.equal(signOut.error, null);
      const { data: afterSignOut } = await supabase.auth.getSession();
      assert.equal(afterSignOut.session, null);

      // The old session is gone on the server too: its latest refresh token is refused.
      const replay = await supabase.auth.refreshSession({ refresh_token: refreshed.data.session!.refresh_token });
      assert.equal(replay.error?.code, "refresh_token_not_found");

      // Signed out, invoke() falls back to the anon key, which verify_jwt accepts as Supabase does.
      const { data: anonEcho } = await supabase.functions.invoke("needs-jwt", { body: {} });
      assert.equal(anonEcho.claims.role, "anon");
    } finally {
      await gateway.close();
    }
  },
});

function decodeSessionId(accessToken: string): string {
  const payload = accessToken.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(atob(payload)).session_id;
}

Deno.test({
  name: "supabase-js: with Confirm email on, signUp gives { user, session: null }; signing in says email_not_confirmed; verifyOtp confirms",
  ignore: withoutDatabase("the supabase-js tests"),
  async fn() {
    const gateway = await startTestGateway({ needsDb: true });
    const supabase = createClient(gateway.url, gateway.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const email = uniqueEmail();
    try {
      const signUp = await supabase.auth.signUp({
        email,
        password: "correct horse battery",
        options: { emailRedirectTo: "http://other-app.test/welcome", data: { full_name: "New Person" } },
      });
      assert.equal(signUp.error, null);
      assert.equal(signUp.data.session, null);
      assert.equal(signUp.data.user?.email, email);
      assert.equal(signUp.data.user?.email_confirmed_at, undefined);

      const early = await supabase.auth.signInWithPassword({ email, password: "correct horse battery" });
      assert.equal(early.error?.code, "email_not_confirmed");
      assert.equal(early.error?.status, 400);

      const mail = await (await fetch(`${gateway.url}/_dev/mailbox?email=${encodeURIComponent(email)}`)).json();
      const link = new URL(mail.messages[0].links.confirmation);
      assert.equal(link.searchParams.get("redirect_to"), "http://other-app.test/welcome", "emailRedirectTo is honoured");
      const verified = await supabase.auth.verifyOtp({ type: "signup", token_hash: link.searchParams.get("token")! });
      assert.equal(verified.error, null);
      assert.equal(verified.data.user?.id, signUp.data.user?.id);
      assert.ok(verified.data.session?.access_token);

      const again = await supabase.auth.verifyOtp({ type: "signup", token_hash: link.searchParams.get("token")! });
      assert.equal(again.error?.code, "otp_expired");
    } finally {
      const sql = postgres(DB_URL!, { prepare: false, max: 1, onnotice: () => {} });
      await sql`delete from auth.users where email = ${email}`;
      await sql.end();
      await gateway.close();
    }
  },
});
