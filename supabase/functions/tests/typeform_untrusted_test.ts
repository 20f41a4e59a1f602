// Typeform data and Typeform itself as untrusted input (issue 12, attacker review 1, findings 3, 5, 6): a lead made
// for the same address by another writer meanwhile, dates Postgres refuses, and Typeform unreachable: never a 500.
import assert from "node:assert/strict";
import { handler as tfHandler } from "../typeform-webhook/handler.ts";
import { backfillsIdle } from "../_shared/typeform/backfill.ts";
import { inboxIdle } from "../_shared/inbox/queue.ts";
import { handler as api } from "../api/handler.ts";
import { ADMIN, callAs, closeAll, MEMBER, sql, test } from "./helpers.ts";
import { createTypeformTeam, delivery, enableForm, FORM_ID, signed } from "./typeform_support.ts";

Deno.env.set("TYPEFORM_API_BASE_URL", "http://127.0.0.1:9/typeform"); // backfills fail fast, never the internet

function tfPost(routeId: string, body: string, headers: Record<string, string>) {
  return tfHandler(new Request("http://127.0.0.1:54399/functions/v1/typeform-webhook/" + routeId, { method: "POST", headers, body }));
}

test("typeform: a lead created for the same address by another writer meanwhile is used, not a 500", async () => {
  const { teamId, integrationId } = await createTypeformTeam();
  const { routeId, secret } = await enableForm(teamId, integrationId);
  const email = "race@acme.test";
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const insertedP = new Promise<void>((r) => (inserted = r));
  // the other writer (what meetings/store.ts createLead or POST /leads does), holding its transaction open
  const other = sql.begin(async (tx) => {
    const [lead] = await tx`insert into public.leads (team_id, name, source) values (${teamId}, 'From Zoom', 'zoom') returning id`;
    await tx`insert into public.lead_emails (lead_id, team_id, email) values (${lead.id}, ${teamId}, ${email})`;
    inserted();
    await gate;
  });
  await insertedP;
  const body = delivery("raceTok0000000000000000000000000", { email, name: "Race" });
  const resP = tfPost(routeId, body, await signed(secret, body));
  await new Promise((r) => setTimeout(r, 300));
  release();
  await other;
  const res = await resP;
  const text = await res.text();
  await inboxIdle();
  await backfillsIdle();
  assert.equal(res.status, 200, `Typeform delivery answered ${res.status} ${text}`);
  const leads = await sql`select l.name from public.lead_emails e join public.leads l on l.id = e.lead_id
                           where e.team_id = ${teamId} and e.email_normalized = ${email}`;
  assert.deepEqual(leads.map((l) => l.name), ["From Zoom"]);
  const [resp] = await sql`select r.status, l.name from public.typeform_responses r join public.leads l on l.id = r.lead_id
                            where r.team_id = ${teamId}`;
  assert.deepEqual({ ...resp }, { status: "imported", name: "From Zoom" });
});

test("typeform: a submitted_at Postgres cannot store (negative years, year 0, past 9999, free text) is dropped, the response kept", async () => {
  const { teamId, integrationId } = await createTypeformTeam();
  const { routeId, secret } = await enableForm(teamId, integrationId);
  const out: string[] = [];
  for (const [i, when] of ["-000001-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "garbage"].entries()) {
    const body = delivery(`dateTok${i}000000000000000000000000`, { email: `d${i}@acme.test` }).replace("2026-03-02T12:00:00Z", when);
    const res = await tfPost(routeId, body, await signed(secret, body));
    out.push(`${when} -> ${res.status} ${await res.text()}`);
  }
  assert.ok(out.every((l) => / -> 200 /.test(l)), out.join("\n"));
  await inboxIdle();
  const rows = await sql`select submitted_at from public.typeform_responses where team_id = ${teamId}`;
  assert.equal(rows.length, 4);
  assert.ok(rows.every((r) => r.submitted_at === null));
});

test("typeform API: Typeform unreachable is 503 provider_unavailable, not a 500", async () => {
  const { teamId } = await createTypeformTeam();
  await sql`insert into public.team_members (team_id, user_id, role) values (${teamId}, ${MEMBER}, 'member') on conflict do nothing`;
  const dead = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () => new Response(""));
  const port = (dead.addr as Deno.NetAddr).port;
  await dead.shutdown();
  const saved = Deno.env.get("TYPEFORM_API_BASE_URL");
  Deno.env.set("TYPEFORM_API_BASE_URL", `http://127.0.0.1:${port}/typeform`);
  const out: string[] = [];
  try {
    const list = await callAs(api, MEMBER, "GET", `/api/teams/${teamId}/integrations/typeform/forms`);
    out.push(`GET forms (refused connection): ${list.status} ${JSON.stringify(list.body)}`);
    const on = await callAs(api, ADMIN, "PATCH", `/api/teams/${teamId}/integrations/typeform/forms/${FORM_ID}`, { enabled: true });
    out.push(`PATCH on (refused connection): ${on.status} ${JSON.stringify(on.body)}`);
  } finally {
    if (saved) Deno.env.set("TYPEFORM_API_BASE_URL", saved);
  }
  assert.ok(out.every((l) => /: 503 \{"error":\{"code":"provider_unavailable"/.test(l)), out.join("\n"));
});

test("zz cleanup", async () => {
  await backfillsIdle();
  await closeAll();
});
