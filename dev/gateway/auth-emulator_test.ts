// The Auth emulator over HTTP, against the real database named by SUPABASE_DB_URL (skipped when unset).
// Test users get unique example.test addresses and are deleted afterwards. No transaction is held open
// while the gateway is called (the embedded database serves one session at a time).
import assert from "node:assert/strict";
import postgres from "postgres";
import { jwtVerify, SignJWT } from "jose";
import { createAuthEmulator } from "./auth-emulator.ts";
import { createMailbox } from "./mailbox.ts";
import { makeApiKeys } from "../lib/config.mjs";
import { DB_URL, startTestGateway, TEST_JWT_SECRET, uniqueEmail, withoutDatabase } from "./test-support.ts";

const DEMO_ADMIN_ID = "11111111-1111-4111-8111-111111111111";
const DEMO_TEAM_ID = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const API_VERSION = { "x-supabase-api-version": "2024-01-01" };

Deno.test({
  name: "auth emulator: GoTrue's endpoints as supabase-js calls them",
  ignore: withoutDatabase("the Auth emulator tests"),
  async fn(t) {
    const gateway = await startTestGateway({ needsDb: true });
    const sql = postgres(DB_URL!, { prepare: false, max: 1, onnotice: () => {} });
    const auth = (path: string, init: RequestInit & { json?: unknown } = {}) => {
      const headers = new Headers({ apikey: gateway.anonKey, ...API_VERSION });
      new Headers(init.headers).forEach((value, name) => headers.set(name, value));
      if (init.json !== undefined) headers.set("content-type", "application/json");
      return fetch(`${gateway.url}/auth/v1${path}`, {
        method: init.method ?? (init.json === undefined ? "GET" : "POST"),
        headers,
        redirect: init.redirect,
        body: init.json === undefined ? init.body : JSON.stringify(init.json),
      });
    };
    const signIn = async (email: string, password: string) => {
      const response = await auth("/token?grant_type=password", { json: { email, password } });
      return { status: response.status, body: await response.json() };
    };
    const refresh = async (refreshToken: string) => {
      const response = await auth("/token?grant_type=refresh_token", { json: { refresh_token: refreshToken } });
      return { status: response.status, body: await response.json() };
    };
    const mailbox = async (address: string) => {
      const response = await fetch(`${gateway.url}/_dev/mailbox?email=${encodeURIComponent(address)}`);
      assert.equal(response.status, 200);
      return (await response.json()).messages as { to: string; subject: string; text: string; links: { confirmation: string } }[];
    };
    const email = uniqueEmail();
    const password = "correct horse battery";
    let userId = "";

    try {
      await t.step("Kong's apikey check: missing and wrong keys are refused, preflight is not", async () => {
        const missing = await fetch(`${gateway.url}/auth/v1/settings`);
        assert.equal(missing.status, 401);
        assert.deepEqual(await missing.json(), { message: "No API key found in request" });

        const wrong = await fetch(`${gateway.url}/auth/v1/settings`, { headers: { apikey: "nope" } });
        assert.equal(wrong.status, 401);
        assert.deepEqual(await wrong.json(), { message: "Invalid API key" });

        const viaAuthorization = await fetch(`${gateway.url}/auth/v1/settings`, {
          headers: { authorization: `Bearer ${gateway.serviceRoleKey}` },
        });
        assert.equal(viaAuthorization.status, 200);
        await viaAuthorization.body?.cancel();

        const preflight = await fetch(`${gateway.url}/auth/v1/token?grant_type=password`, {
          method: "OPTIONS",
          headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
        });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:5173");
        assert.match(preflight.headers.get("access-control-allow-headers")!, /apikey/);
        assert.match(preflight.headers.get("access-control-allow-headers")!, /x-supabase-api-version/);
        await preflight.body?.cancel();
      });

      await t.step("sign-up with Confirm email on: the user without a session, unconfirmed, a bcrypt hash", async () => {
        const response = await auth("/signup", { json: { email: email.toUpperCase(), password, data: { full_name: "Test" } } });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("x-supabase-api-version"), "2024-01-01");
        const user = await response.json();
        assert.equal("access_token" in user, false, "no session until the address is confirmed");
        assert.equal("refresh_token" in user, false);
        assert.equal(user.email, email, "emails are stored lower-case");
        assert.equal(user.email_confirmed_at, undefined);
        assert.ok(user.confirmation_sent_at);
        assert.deepEqual(user.user_metadata, { full_name: "Test" });
        assert.deepEqual(user.app_metadata, { provider: "email", providers: ["email"] });
        assert.equal(user.identities.length, 1);
        assert.equal(user.identities[0].identity_data.email_verified, false);
        assert.equal("encrypted_password" in user, false);
        assert.equal("confirmation_token" in user, false);
        userId = user.id;

        const [row] = await sql`
          select encrypted_password, email_confirmed_at, confirmation_token from auth.users where id = ${user.id}`;
        assert.match(row.encrypted_password, /^\$2[aby]\$10\$/);
        assert.equal(row.email_confirmed_at, null);
        assert.match(row.confirmation_token, /^[0-9a-f]{64}$/, "only a hash of the link's token is stored");
        const [sessions] = await sql`select count(*)::int as n from auth.sessions where user_id = ${user.id}`;
        assert.equal(sessions.n, 0);
      });

      await t.step("an unconfirmed address cannot sign in: 400 email_not_confirmed (after the password check)", async () => {
        const { status, body } = await signIn(email, password);
        assert.equal(status, 400);
        assert.deepEqual(body, { code: "email_not_confirmed", message: "Email not confirmed" });
        const wrong = await signIn(email, "wrong password");
        assert.equal(wrong.body.code, "invalid_credentials", "without the password nothing tells the address exists");
      });

      await t.step("the mailbox holds the confirmation link (any case of the address)", async () => {
        const messages = await mailbox(email.toUpperCase());
        assert.equal(messages.length, 1);
        assert.equal(messages[0].to, email);
        assert.equal(messages[0].subject, "Confirm Your Signup");
        const link = new URL(messages[0].links.confirmation);
        assert.equal(`${link.origin}${link.pathname}`, `${gateway.url}/auth/v1/verify`);
        assert.equal(link.searchParams.get("type"), "signup");
        assert.equal(link.searchParams.get("redirect_to"), "http://app.test", "no redirect_to: the site URL");
        assert.ok(messages[0].text.includes(link.href));
        const [row] = await sql`select confirmation_token from auth.users where id = ${userId}`;
        assert.notEqual(row.confirmation_token, link.searchParams.get("token"), "the stored value is not the token");

        assert.deepEqual(await mailbox(uniqueEmail()), []);
        const noAddress = await fetch(`${gateway.url}/_dev/mailbox`);
        assert.equal(noAddress.status, 400);
        assert.equal((await noAddress.json()).error.code, "invalid_request");
      });

      await t.step("verify: the link confirms once, with a session in the redirect's fragment", async () => {
        const link = (await mailbox(email))[0].links.confirmation;
        const first = await fetch(link, { redirect: "manual" });
        assert.equal(first.status, 303);
        await first.body?.cancel();
        const landing = new URL(first.headers.get("location")!);
        assert.equal(landing.origin, "http://app.test");
        const fragment = new URLSearchParams(landing.hash.slice(1));
        assert.equal(fragment.get("type"), "signup");
        assert.equal(fragment.get("token_type"), "bearer");
        assert.ok(fragment.get("refresh_token"));
        const { payload } = await jwtVerify(fragment.get("access_token")!, new TextEncoder().encode(TEST_JWT_SECRET));
        assert.equal(payload.sub, userId);
        const [row] = await sql`select email_confirmed_at, confirmation_token from auth.users where id = ${userId}`;
        assert.ok(row.email_confirmed_at, "confirmed");
        assert.equal(row.confirmation_token, "", "the token is spent");
        const [identity] = await sql`select identity_data from auth.identities where user_id = ${userId}`;
        assert.equal(identity.identity_data.email_verified, true);

        const again = await fetch(link, { redirect: "manual" });
        assert.equal(again.status, 303);
        await again.body?.cancel();
        const refused = new URL(again.headers.get("location")!);
        assert.equal(refused.origin, "http://app.test");
        assert.deepEqual(Object.fromEntries(new URLSearchParams(refused.hash.slice(1))), {
          error: "access_denied",
          error_code: "otp_expired",
          error_description: "Email link is invalid or has expired",
        });
        const [after] = await sql`select count(*)::int as n from auth.sessions where user_id = ${userId}`;
        assert.equal(after.n, 1, "a used link opens no second session");
      });

      await t.step("verify: used, unknown and wrong-type tokens are refused (POST: 403 otp_expired; GET: error fragment)", async () => {
        const used = new URL((await mailbox(email))[0].links.confirmation).searchParams.get("token")!;
        for (const token_hash of [used, "no-such-token"]) {
          const response = await auth("/verify", { json: { type: "signup", token_hash } });
          assert.equal(response.status, 403, token_hash);
          assert.deepEqual(await response.json(), { code: "otp_expired", message: "Token has expired or is invalid" });
        }
        const unknown = await auth(`/verify?token=unknown&type=signup&redirect_to=${encodeURIComponent("http://evil.test/")}`, {
          redirect: "manual",
        });
        assert.equal(unknown.status, 303);
        await unknown.body?.cancel();
        const landing = new URL(unknown.headers.get("location")!);
        assert.equal(landing.origin, "http://app.test", "a redirect_to outside the allow list lands on the site URL");
        assert.equal(new URLSearchParams(landing.hash.slice(1)).get("error_code"), "otp_expired");

        const missing = await auth("/verify?type=signup", { redirect: "manual" });
        assert.equal(missing.status, 400);
        assert.equal((await missing.json()).code, "validation_failed");
      });

      await t.step("a repeated sign-up: unconfirmed gets a fresh link (the old one dies), confirmed learns nothing", async () => {
        const other = uniqueEmail();
        await (await auth(`/signup?redirect_to=${encodeURIComponent("http://other-app.test/welcome")}`, {
          json: { email: other, password },
        })).body?.cancel();
        const firstLink = (await mailbox(other))[0].links.confirmation;
        assert.equal(new URL(firstLink).searchParams.get("redirect_to"), "http://other-app.test/welcome", "an allowed redirect_to");

        const tooSoon = await auth("/signup", { json: { email: other, password } });
        assert.equal(tooSoon.status, 429, "one mail a minute per address (GoTrue's SMTP max frequency)");
        assert.equal((await tooSoon.json()).code, "over_email_send_rate_limit");
        assert.equal((await mailbox(other)).length, 1);
        await sql`update auth.users set confirmation_sent_at = now() - interval '61 seconds' where email = ${other}`;

        const repeat = await auth(`/signup?redirect_to=${encodeURIComponent("http://other-app.test/welcome")}`, { json: { email: other, password: "another password", data: { full_name: "X" } } });
        assert.equal(repeat.status, 200);
        const repeated = await repeat.json();
        assert.equal(repeated.identities.length, 1, "the real (unconfirmed) user");
        assert.deepEqual(repeated.user_metadata, {}, "nothing proves who asked: the first sign-up's data stays");
        const links = (await mailbox(other)).map((m) => m.links.confirmation);
        assert.equal(links.length, 2);
        const stale = await fetch(firstLink, { redirect: "manual" });
        await stale.body?.cancel();
        assert.match(stale.headers.get("location")!, /error_code=otp_expired/);
        const fresh = await fetch(links[0], { redirect: "manual" });
        await fresh.body?.cancel();
        assert.match(fresh.headers.get("location")!, /^http:\/\/other-app\.test\/welcome#access_token=/);
        assert.equal((await signIn(other, "another password")).body.code, "invalid_credentials", "the password stays the first");

        const confirmedAgain = await auth("/signup", { json: { email, password: "attacker password" } });
        assert.equal(confirmedAgain.status, 200, "the same answer as for a new address");
        const decoy = await confirmedAgain.json();
        assert.notEqual(decoy.id, userId);
        assert.deepEqual(decoy.identities, []);
        assert.equal("access_token" in decoy, false);
        assert.equal((await mailbox(email)).length, 1, "no mail to a confirmed address");
        assert.equal((await signIn(email, "attacker password")).status, 400);
      });

      await t.step("verify: an expired link is refused", async () => {
        const late = uniqueEmail();
        await (await auth("/signup", { json: { email: late, password } })).body?.cancel();
        await sql`update auth.users set confirmation_sent_at = now() - interval '2 hours' where email = ${late}`;
        const token = new URL((await mailbox(late))[0].links.confirmation).searchParams.get("token")!;
        const response = await auth("/verify", { json: { type: "signup", token_hash: token } });
        assert.equal(response.status, 403);
        assert.equal((await response.json()).code, "otp_expired");
        const [row] = await sql`select email_confirmed_at from auth.users where email = ${late}`;
        assert.equal(row.email_confirmed_at, null);
      });

      await t.step("an invited address signed up without its mailbox gets no session and joins nothing (review 10, #1)", async () => {
        const invited = uniqueEmail();
        await sql`insert into public.team_invites (team_id, email, role, invited_by)
                  values (${DEMO_TEAM_ID}, ${invited}, 'admin', ${DEMO_ADMIN_ID})`;
        // whoever knows (or guesses) the address signs up with it: they never see its mailbox
        const response = await auth("/signup", { json: { email: invited.toUpperCase(), password: "attacker password" } });
        assert.equal(response.status, 200);
        const answer = await response.json();
        assert.equal("access_token" in answer, false, "no session for an unproven address");
        assert.equal((await signIn(invited, "attacker password")).body.code, "email_not_confirmed");
        const [joined] = await sql`
          select count(*)::int as n from public.team_members m join auth.users u on u.id = m.user_id
          where u.email = ${invited}`;
        assert.equal(joined.n, 0, "an unproven address is a member of no team");
      });

      await t.step("sign-up errors: weak password, bad email (both error formats)", async () => {
        const legacy = await fetch(`${gateway.url}/auth/v1/signup`, {
          method: "POST",
          headers: { apikey: gateway.anonKey, "content-type": "application/json" },
          body: JSON.stringify({ email: uniqueEmail(), password: "12345" }),
        });
        assert.equal(legacy.status, 422);
        const legacyBody = await legacy.json();
        assert.equal(legacyBody.code, 422);
        assert.equal(legacyBody.error_code, "weak_password");

        const weak = await auth("/signup", { json: { email: uniqueEmail(), password: "12345" } });
        assert.equal(weak.status, 422);
        const weakBody = await weak.json();
        assert.equal(weakBody.code, "weak_password");
        assert.deepEqual(weakBody.weak_password, { reasons: ["length"] });

        const badEmail = await auth("/signup", { json: { email: "not-an-email", password } });
        assert.equal(badEmail.status, 400);
        assert.equal((await badEmail.json()).code, "validation_failed");
      });

      await t.step("sign-in with a password opens a session and records last_sign_in_at", async () => {
        const [before] = await sql`select last_sign_in_at from auth.users where email = ${email}`;
        const { status, body } = await signIn(email, password);
        assert.equal(status, 200);
        assert.equal(body.user.email, email);
        assert.equal(body.token_type, "bearer");
        assert.equal(body.expires_in, 3600);
        assert.ok(body.user.email_confirmed_at);
        const { payload } = await jwtVerify(body.access_token, new TextEncoder().encode(TEST_JWT_SECRET));
        assert.equal(payload.iss, `${gateway.url}/auth/v1`);
        assert.equal(payload.sub, body.user.id);
        assert.equal(payload.aud, "authenticated");
        assert.equal(payload.role, "authenticated");
        assert.equal(payload.email, email);
        assert.equal(payload.phone, "");
        assert.equal(payload.aal, "aal1");
        assert.equal(payload.is_anonymous, false);
        assert.equal(payload.exp, body.expires_at);
        assert.equal(payload.exp! - payload.iat!, 3600);
        assert.equal((payload.amr as { method: string }[])[0].method, "password");
        const [after] = await sql`select last_sign_in_at from auth.users where email = ${email}`;
        assert.ok(after.last_sign_in_at > before.last_sign_in_at);
        const [tokens] = await sql`
          select count(*)::int as n from auth.refresh_tokens where token = ${body.refresh_token} and revoked = false`;
        assert.equal(tokens.n, 1);
      });

      await t.step("the seeded demo admin ($2a$ hash) signs in", async () => {
        const { status, body } = await signIn("demo-admin@example.com", "demo-password");
        assert.equal(status, 200);
        assert.equal(body.user.id, DEMO_ADMIN_ID);
        assert.deepEqual(body.user.user_metadata, { full_name: "Ada Admin" });
        await auth("/logout", { method: "POST", headers: { authorization: `Bearer ${body.access_token}` } });
      });

      await t.step("wrong password and unknown user get the same answer", async () => {
        const wrong = await signIn(email, "wrong password");
        const unknown = await signIn(uniqueEmail(), password);
        assert.equal(wrong.status, 400);
        assert.deepEqual(wrong.body, { code: "invalid_credentials", message: "Invalid login credentials" });
        assert.deepEqual(unknown, wrong);
      });

      await t.step("refresh rotates the token; replaying the old one is refused and ends the family", async () => {
        const first = (await signIn(email, password)).body;
        const second = await refresh(first.refresh_token);
        assert.equal(second.status, 200);
        assert.notEqual(second.body.refresh_token, first.refresh_token);
        assert.equal(second.body.user.email, email);
        const claimsBefore = (await jwtVerify(first.access_token, new TextEncoder().encode(TEST_JWT_SECRET))).payload;
        const claimsAfter = (await jwtVerify(second.body.access_token, new TextEncoder().encode(TEST_JWT_SECRET))).payload;
        assert.equal(claimsAfter.session_id, claimsBefore.session_id, "same session");
        assert.deepEqual(claimsAfter.amr, claimsBefore.amr, "the authentication time survives refreshes");

        const [child] = await sql`
          select parent, revoked from auth.refresh_tokens where token = ${second.body.refresh_token}`;
        assert.deepEqual({ ...child }, { parent: first.refresh_token, revoked: false });
        const [old] = await sql`select revoked from auth.refresh_tokens where token = ${first.refresh_token}`;
        assert.equal(old.revoked, true);

        const replay = await refresh(first.refresh_token);
        assert.equal(replay.status, 400);
        assert.deepEqual(replay.body, { code: "refresh_token_already_used", message: "Invalid Refresh Token: Already Used" });
        const afterReplay = await refresh(second.body.refresh_token);
        assert.equal(afterReplay.status, 400, "reuse detection revokes the whole session's tokens");
        assert.equal(afterReplay.body.code, "refresh_token_already_used");

        const unknown = await refresh("no-such-token");
        assert.equal(unknown.status, 400);
        assert.equal(unknown.body.code, "refresh_token_not_found");
      });

      await t.step("GET /user: the user, or GoTrue's 401/403 answers", async () => {
        const session = (await signIn(email, password)).body;
        const ok = await auth("/user", { headers: { authorization: `Bearer ${session.access_token}` } });
        assert.equal(ok.status, 200);
        const user = await ok.json();
        assert.equal(user.id, session.user.id);
        for (const key of ["aud", "role", "email_confirmed_at", "app_metadata", "user_metadata", "identities",
                           "created_at", "updated_at", "last_sign_in_at", "is_anonymous"]) {
          assert.ok(key in user, key);
        }

        const none = await auth("/user");
        assert.equal(none.status, 401);
        assert.equal((await none.json()).code, "no_authorization");

        const forged = await new SignJWT({ sub: session.user.id, session_id: crypto.randomUUID() })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode("another-secret-with-at-least-32-characters"));
        for (const token of ["garbage", forged, gateway.anonKey]) {
          const response = await auth("/user", { headers: { authorization: `Bearer ${token}` } });
          assert.equal(response.status, 403);
          assert.equal((await response.json()).code, "bad_jwt");
        }

        const ghost = await new SignJWT({ sub: crypto.randomUUID(), session_id: crypto.randomUUID() })
          .setProtectedHeader({ alg: "HS256" })
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode(TEST_JWT_SECRET));
        const deleted = await auth("/user", { headers: { authorization: `Bearer ${ghost}` } });
        assert.equal(deleted.status, 403);
        assert.equal((await deleted.json()).code, "user_not_found");
      });

      await t.step("logout ends the session: its access token and refresh token stop working", async () => {
        const session = (await signIn(email, password)).body;
        const bearer = { authorization: `Bearer ${session.access_token}` };
        const logout = await auth("/logout", { method: "POST", headers: bearer });
        assert.equal(logout.status, 204);
        await logout.body?.cancel();

        const user = await auth("/user", { headers: bearer });
        assert.equal(user.status, 403);
        assert.equal((await user.json()).code, "session_not_found");
        const refused = await refresh(session.refresh_token);
        assert.equal(refused.status, 400);
        assert.equal(refused.body.code, "refresh_token_not_found");
      });

      await t.step("logout scopes: others keeps this session, global ends every one", async () => {
        const a = (await signIn(email, password)).body;
        const b = (await signIn(email, password)).body;
        const badScope = await auth("/logout?scope=everything", { method: "POST", headers: { authorization: `Bearer ${a.access_token}` } });
        assert.equal(badScope.status, 400);
        await badScope.body?.cancel();

        await (await auth("/logout?scope=others", { method: "POST", headers: { authorization: `Bearer ${a.access_token}` } })).body?.cancel();
        assert.equal((await refresh(b.refresh_token)).status, 400);
        const aRefreshed = await refresh(a.refresh_token);
        assert.equal(aRefreshed.status, 200);

        await (await auth("/logout?scope=global", { method: "POST", headers: { authorization: `Bearer ${aRefreshed.body.access_token}` } })).body?.cancel();
        const [left] = await sql`
          select count(*)::int as n from auth.sessions s join auth.users u on u.id = s.user_id where u.email = ${email}`;
        assert.equal(left.n, 0);
      });

      await t.step("settings, JWKS, health and unknown routes", async () => {
        const settings = await (await auth("/settings")).json();
        assert.equal(settings.external.email, true);
        assert.equal(settings.mailer_autoconfirm, false, "Confirm email is on");
        assert.deepEqual(await (await auth("/.well-known/jwks.json")).json(), { keys: [] });
        assert.equal((await (await auth("/health")).json()).name, "GoTrue");
        const unknown = await auth("/admin/users");
        assert.equal(unknown.status, 404);
        assert.equal(unknown.headers.get("access-control-allow-origin"), "*");
        await unknown.body?.cancel();
      });

      await t.step("within the reuse interval, a replayed token gets its successor (GoTrue's default); autoconfirm", async () => {
        const keys = await makeApiKeys(TEST_JWT_SECRET);
        const pool = postgres(DB_URL!, { prepare: false, max: 1, onnotice: () => {} });
        const emulator = createAuthEmulator({
          sql: pool,
          jwtKey: new TextEncoder().encode(TEST_JWT_SECRET),
          issuer: "http://emulator.test/auth/v1",
          ...keys,
          jwtExpirySeconds: 60,
          refreshTokenReuseIntervalSeconds: 10,
          enableSignup: true,
          enableConfirmations: false,
          siteUrl: "http://app.test",
          allowedRedirectUrls: [],
          otpExpirySeconds: 3600,
          emailMaxFrequencySeconds: 60,
          mailbox: createMailbox(),
        });
        const call = async (path: string, body: unknown) => {
          const response = await emulator.handle(new Request(`http://emulator.test/auth/v1${path}`, {
            method: "POST",
            headers: { apikey: keys.anonKey, "content-type": "application/json", ...API_VERSION },
            body: JSON.stringify(body),
          }));
          return { status: response.status, body: await response.json() };
        };
        try {
          const autoconfirmed = await call("/signup", { email: uniqueEmail(), password });
          assert.equal(autoconfirmed.status, 200);
          assert.ok(autoconfirmed.body.access_token, "with Confirm email off, sign-up answers a session (GoTrue's autoconfirm)");
          assert.ok(autoconfirmed.body.user.email_confirmed_at);

          const first = await call("/token?grant_type=password", { email, password });
          assert.equal(first.body.expires_in, 60);
          const winner = await call("/token?grant_type=refresh_token", { refresh_token: first.body.refresh_token });
          const loser = await call("/token?grant_type=refresh_token", { refresh_token: first.body.refresh_token });
          assert.equal(loser.status, 200);
          assert.equal(loser.body.refresh_token, winner.body.refresh_token);
        } finally {
          await pool.end();
        }
      });
    } finally {
      await sql`delete from public.team_invites where email like 'gw-test-%@example.test'`;
      await sql`delete from auth.users where email like 'gw-test-%@example.test'`;
      await sql.end();
      await gateway.close();
    }
  },
});
