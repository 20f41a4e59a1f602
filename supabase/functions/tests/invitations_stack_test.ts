// Invites through the running local stack (gateway + Auth emulator + api function), as a browser with supabase-js
// calls them (security review 10, finding 1): a sign-up with an invited address joins nothing by itself, whatever
// the Auth emulator does about confirmation; the invitee, signed in with the address confirmed, accepts and joins.
// Needs the stack's GATEWAY_URL and SUPABASE_ANON_KEY (`npm test -- deno:...` sets them).
import assert from "node:assert/strict";
import { sql, TEAM, test } from "./helpers.ts";

const GATEWAY = Deno.env.get("GATEWAY_URL");
const ANON = Deno.env.get("SUPABASE_ANON_KEY");
const PASSWORD = "invitee-password-123";

async function auth(path: string, body: unknown) {
  const r = await fetch(`${GATEWAY}/auth/v1${path}`, {
    method: "POST",
    headers: { apikey: ANON!, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

async function api(token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${GATEWAY}/functions/v1${path}`, {
    method,
    headers: { apikey: ANON!, authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

const signIn = async (email: string, password: string) =>
  (await auth("/token?grant_type=password", { email, password })).body.access_token as string | undefined;

test("stack: a sign-up with an invited address joins nothing; confirmed, the invitee accepts and joins", async () => {
  if (!GATEWAY || !ANON) {
    console.warn("GATEWAY_URL / SUPABASE_ANON_KEY unset: run through `npm test -- deno:...`; skipped");
    return;
  }
  const email = `stack.invitee.${crypto.randomUUID().slice(0, 8)}@example.com`;
  try {
    const owner = (await signIn("demo-admin@example.com", "demo-password"))!;
    const invited = await api(owner, "POST", `/api/teams/${TEAM}/invites`, { email, role: "admin" });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));

    // someone who only knows the address signs up with it (no mailbox proof); even with a session, no team
    const signup = await auth("/signup", { email: email.toUpperCase(), password: PASSWORD });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    const early = signup.body.access_token as string | undefined;
    if (early) {
      const teams = await api(early, "GET", "/api/teams");
      assert.deepEqual(teams.body, { teams: [] }, "an unproven address is not a member of the inviting team");
      const members = await api(early, "GET", `/api/teams/${TEAM}/members`);
      assert.equal(members.status, 404);
    }

    // the address is proven (the confirmation link; here straight in the database), the invitee signs in
    await sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where lower(email) = ${email}`;
    const invitee = (await signIn(email, PASSWORD))!;
    assert.deepEqual((await api(invitee, "GET", "/api/teams")).body, { teams: [] }, "still nothing by itself");
    const list = await api(invitee, "GET", "/api/invitations");
    assert.equal(list.body.invitations.length, 1);
    assert.equal(list.body.invitations[0].team_name, "Demo Team");
    const accepted = await api(invitee, "POST", `/api/invitations/${list.body.invitations[0].id}/accept`);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.deepEqual((await api(invitee, "GET", "/api/teams")).body.teams.map((t: { id: string; role: string }) => [t.id, t.role]),
      [[TEAM, "admin"]]);
  } finally {
    await sql`delete from public.team_invites where email_normalized = ${email}`;
    await sql`delete from auth.users where lower(email) = ${email}`;
  }
});
