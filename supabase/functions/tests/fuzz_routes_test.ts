// Fuzzing every function route (api, fathom-oauth-start, fathom-oauth-callback, fathom-webhook, fathom-sync) with
// hostile requests: every method, odd content types, bodies that are empty, not JSON, invalid UTF-8, too large,
// deeply nested, holding NUL or unpaired surrogates, extreme numbers and dates, and the same poison in path
// segments and query strings. Two properties, for every request: no 5xx, and a refused request (4xx) writes
// nothing (a fingerprint of every table a route can write is the same before and after).
// The inputs come from a seeded PRNG, so a failure names a reproducible case.
import assert from "node:assert/strict";
import { handler as api } from "../api/handler.ts";
import { handler as oauthCallback } from "../fathom-oauth-callback/handler.ts";
import { handler as oauthStart } from "../fathom-oauth-start/handler.ts";
import { handler as sync } from "../fathom-sync/handler.ts";
import { handler as webhook } from "../fathom-webhook/handler.ts";
import { MAX_JSON_BODY_BYTES } from "../_shared/http.ts";
import { ADMIN, closeAll, jwtFor, MEMBER, OUTSIDER, REDIRECT_URI, resetDb, sql, SUPABASE_URL, TEAM, test } from "./helpers.ts";

const JANE = "c0000000-0000-4000-8000-000000000001";
const seed = await Deno.readTextFile(new URL("../../seed.sql", import.meta.url));

/** mulberry32: a small deterministic PRNG, so every run sends the same requests. */
function prng(seedValue: number) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(8_2026);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

// --- poison ---------------------------------------------------------------------------------------------------------

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const POISON_STRINGS = [
  "",
  " ",
  "a\u0000b",
  "\u0000",
  "\ud800",
  "x\udfffy",
  "😀",
  "'; drop table leads; --",
  "%00",
  "\\",
  "%_%",
  "a".repeat(10_001),
  "\u202e\u200b",
  "0000-01-01T00:00:00.000000Z",
  "2025-02-30T00:00:00Z",
  "-infinity",
  "NaN",
  "<script>alert(1)</script>",
  "x@y",
  "jörg@bücher.example",
];
const POISON_VALUES: unknown[] = [
  ...POISON_STRINGS,
  null,
  true,
  0,
  -1,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  [],
  {},
  [null],
  { __proto__: { polluted: true } },
  { constructor: { prototype: { x: 1 } } },
];

/** A JSON text for one of the lead / settings / sync / oauth bodies, one field poisoned (or a whole-body oddity). */
function jsonBody(): string {
  const base: Record<string, unknown> = pick([
    { name: "Fuzz", emails: ["fuzz@x.example"] },
    { name: "Fuzz", company: "Co", stage: "won", notes: "n", owner_id: ADMIN, emails: ["fuzz2@x.example"] },
    { create_leads_from_unknown_attendees: true },
    { full: true },
    { teamId: TEAM, redirectUri: REDIRECT_URI },
    { recording_id: 1, title: "t" },
    { title: "Fuzz task", lead_id: JANE, assignee_id: MEMBER, due_on: "2026-12-24", done: true },
    { body: "Fuzz **note**" },
    { lead_id: JANE },
    {
      name: "Fuzz rule",
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "post_slack", template: "{{lead.name}}" }],
    },
    { name: "Fuzz hook", url: "https://hooks.example.com/x" },
    { meetingId: JANE, send: false },
  ]);
  const key = pick([...Object.keys(base), "emails", "extra", "__proto__", "\u0000", "\ud800"]);
  const value = pick(POISON_VALUES);
  const poisoned = { ...base, [key]: key === "emails" && random() < 0.5 ? [value] : value };
  let text = JSON.stringify(poisoned);
  // JSON.stringify writes lone surrogates as \udXXX escapes; sometimes send the literal (invalid UTF-16) instead
  if (random() < 0.2) text = text.replace(/\\ud[89a-f][0-9a-f]{2}/g, "\ud800");
  return text;
}

type Body = string | Uint8Array<ArrayBuffer> | null;
const BODIES: (() => Body)[] = [
  () => null,
  () => "",
  () => "   ",
  () => "null",
  () => "[]",
  () => "{",
  () => "not json",
  () => '"\\u0000"',
  () => nested(5_000),
  () => `{"a":${nested(40)}}`,
  () => `{"name":${"9".repeat(400)},"emails":["n@x.example"]}`,
  () => new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]), // invalid UTF-8
  () => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"full":true}')]), // BOM
  () => `{"name":"x","emails":["x@y.example"],"pad":"${"p".repeat(MAX_JSON_BODY_BYTES)}"}`, // over the limit
  jsonBody,
  jsonBody,
  jsonBody,
  jsonBody,
];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  null,
];
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "FOO"];
const SEGMENTS = [
  TEAM,
  TEAM.toUpperCase(),
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
  "%00",
  "%ED%A0%80",
  "%E0%A4%A",
  "..",
  encodeURIComponent("😀"),
  "a".repeat(3000),
];
const QUERIES = [
  "",
  "?assignee=%00&status=__proto__",
  "?assignee=all&status=done&limit=200&lead_id=%ED%A0%80",
  "?q=%00",
  "?q=%ED%A0%80",
  "?q=%25_%5C",
  "?cursor=%00",
  "?cursor=bm90IGpzb24",
  "?cursor=WyIwMDAwLTAxLTAxVDAwOjAwOjAwLjAwMDAwMFoiLCJlMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEiXQ",
  "?limit=1e308",
  "?limit=-1",
  "?leadId=%00",
  "?stage=%00&owner=none",
  "?email=%00",
  "?sort=__proto__",
  "?q=" + "a".repeat(5000),
  "?code=%00&state=%ED%A0%80",
  "?error=access_denied&state=" + "s".repeat(5000),
];

const API_PATHS = (team: string, id: string) => [
  `/api/teams`,
  `/api/teams/${team}/integrations`,
  `/api/teams/${team}/integrations/fathom`,
  `/api/teams/${team}/integrations/${id}`,
  `/api/teams/${team}/members`,
  `/api/teams/${team}/settings`,
  `/api/teams/${team}/leads`,
  `/api/teams/${team}/leads/${id}`,
  `/api/teams/${team}/meetings`,
  `/api/teams/${team}/meetings/${id}`,
  `/api/teams/${team}/integrations/fathom/sync`,
  `/api/teams/${team}/integrations/${id}/activity`,
  `/api/teams/${team}/integrations/fathom/activity/retry`,
  `/api/teams/${team}/tasks`,
  `/api/teams/${team}/tasks/${id}`,
  `/api/teams/${team}/leads/${id}/timeline`,
  `/api/teams/${team}/leads/${id}/notes`,
  `/api/teams/${team}/leads/${JANE}/notes/${id}`,
  `/api/teams/${team}/meetings/${id}/leads`,
  `/api/teams/${team}/meetings/${id}/leads/${id}`,
  `/api/automation-catalog`,
  `/api/teams/${team}/automations`,
  `/api/teams/${team}/automations/${id}`,
  `/api/teams/${team}/automations/${id}/test`,
  `/api/teams/${team}/automations/${id}/runs`,
  `/api/teams/${team}/automation-runs`,
  `/api/teams/${team}/automation-runs/${id}`,
  `/api/teams/${team}/automation-runs/${id}/retry`,
  `/api/teams/${team}/automation-runs/${id}/rerun`,
  `/api/teams/${team}/automation-endpoints`,
  `/api/teams/${team}/automation-endpoints/${id}`,
];

interface Target {
  name: string;
  handler: (req: Request) => Promise<Response>;
  path: () => string;
}
const TARGETS: Target[] = [
  { name: "api", handler: api, path: () => pick(API_PATHS(pick(SEGMENTS), pick([JANE, ...SEGMENTS]))) },
  { name: "fathom-oauth-start", handler: oauthStart, path: () => "/fathom-oauth-start" },
  { name: "fathom-oauth-callback", handler: oauthCallback, path: () => "/fathom-oauth-callback" },
  { name: "fathom-webhook", handler: webhook, path: () => `/fathom-webhook/${pick(SEGMENTS)}` },
  { name: "fathom-sync", handler: sync, path: () => "/fathom-sync" },
];

// --- the properties -------------------------------------------------------------------------------------------------

/** Every table a function route can write, fingerprinted (row count + md5 of the rows' text). */
const WRITABLE = [
  "public.leads",
  "public.tasks",
  "public.lead_notes",
  "public.lead_stage_changes",
  "public.lead_emails",
  "public.meeting_leads",
  "public.meetings",
  "public.team_settings",
  "public.team_integrations",
  "public.integration_syncs",
  "public.integration_events",
  "public.webhook_deliveries",
  "public.integration_sync_runs",
  "public.integration_sync_listed",
  "public.automation_rules",
  "public.automation_rule_versions",
  "public.automation_events",
  "public.automation_runs",
  "public.automation_run_steps",
  "public.automation_endpoints",
];

async function fingerprint(): Promise<string> {
  const parts = await Promise.all(WRITABLE.map(async (table) => {
    const exists = (await sql`select to_regclass(${table}) is not null as ok`)[0].ok;
    if (!exists) return `${table}:-`;
    const [row] = await sql.unsafe(
      `select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from ${table} t`,
    );
    return `${table}:${row.n}:${row.h}`;
  }));
  return parts.join("\n");
}

/**
 * The api's routes as a member calls them, for the well-aimed half of the cases: the right team, method and a JSON
 * content type, so the poison reaches validation and the database rather than stopping at authentication.
 */
const AIMED: [string, string][] = [
  ["GET", `/api/teams/${TEAM}/leads`],
  ["POST", `/api/teams/${TEAM}/leads`],
  ["GET", `/api/teams/${TEAM}/leads/${JANE}`],
  ["PATCH", `/api/teams/${TEAM}/leads/${JANE}`],
  ["GET", `/api/teams/${TEAM}/tasks`],
  ["POST", `/api/teams/${TEAM}/tasks`],
  ["GET", `/api/teams/${TEAM}/leads/${JANE}/timeline`],
  ["POST", `/api/teams/${TEAM}/leads/${JANE}/notes`],
  ["GET", `/api/teams/${TEAM}/meetings`],
  ["PATCH", `/api/teams/${TEAM}/settings`],
  ["POST", `/api/teams/${TEAM}/integrations/fathom/sync`],
  ["DELETE", `/api/teams/${TEAM}/integrations/fathom`],
  ["POST", `/api/teams/${TEAM}/automations`],
  ["PATCH", `/api/teams/${TEAM}/automations/${JANE}`],
  ["POST", `/api/teams/${TEAM}/automations/${JANE}/test`],
  ["GET", `/api/teams/${TEAM}/automation-runs`],
  ["POST", `/api/teams/${TEAM}/automation-runs/${JANE}/retry`],
  ["POST", `/api/teams/${TEAM}/automation-endpoints`],
];

async function fuzzCase(target: Target, tokens: (string | null)[], i: number, aimed = false) {
  const [aimedMethod, aimedPath] = pick(AIMED);
  const method = aimed ? aimedMethod : pick(METHODS);
  const body = ["GET", "HEAD"].includes(method) ? null : (aimed && random() < 0.7 ? jsonBody : pick(BODIES))();
  const contentType = aimed ? "application/json" : pick(CONTENT_TYPES);
  const path = (aimed ? aimedPath : target.path()) + pick(QUERIES);
  const headers = new Headers();
  const token = aimed ? pick(tokens.slice(1, 3)) : pick(tokens);
  if (token && aimed) headers.set("authorization", `Bearer ${token}`);
  else if (token) headers.set("authorization", pick([`Bearer ${token}`, token, `Bearer ${token}x`, "Bearer \u00ff"]));
  if (contentType) headers.set("content-type", contentType);
  if (random() < 0.1) headers.set("content-length", pick(["0", "-1", "abc", "1e3", String(2 ** 53)]));
  let req: Request;
  try {
    req = new Request(`${SUPABASE_URL}/functions/v1${path}`, { method, headers, body });
  } catch {
    return; // not a request HTTP could carry (e.g. a header value the platform refuses)
  }
  const label = `#${i} ${target.name} ${method} ${path.slice(0, 120)} ${contentType} body=${
    typeof body === "string" ? JSON.stringify(body.slice(0, 80)) : body ? `bytes(${body.length})` : "none"
  }`;
  const before = await fingerprint();
  const res = await target.handler(req);
  await res.body?.cancel();
  assert.ok(res.status < 500, `${label} -> ${res.status}`);
  if (res.status >= 400) assert.equal(await fingerprint(), before, `${label} -> ${res.status} wrote something`);
}

async function reset() {
  await resetDb();
  await sql`delete from public.meetings where team_id = ${TEAM}`;
  await sql`delete from public.leads where team_id = ${TEAM}`;
  await sql`delete from public.tasks where team_id = ${TEAM}`;
  await sql`delete from public.automation_rules where team_id = ${TEAM}`;
  await sql`delete from public.automation_endpoints where team_id = ${TEAM}`;
  // a fuzzed PATCH .../settings by the admin may have switched it on; the seed's insert would not switch it back
  await sql`update public.team_settings set create_leads_from_unknown_attendees = false where team_id = ${TEAM}`;
  await sql.unsafe(seed).simple();
}

test("fuzz: every function route answers hostile requests with no 5xx and no partial write", async () => {
  await reset();
  Deno.env.set("FATHOM_SYNC_SECRET", "fuzz-sync-secret");
  const tokens = [null, await jwtFor(ADMIN), await jwtFor(MEMBER), await jwtFor(OUTSIDER), "fuzz-sync-secret"];
  const logs: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logs.push(args.map(String).join(" "));
  try {
    let i = 0;
    for (const target of TARGETS) {
      const cases = target.name === "api" ? 400 : target.name === "fathom-sync" ? 20 : 80;
      for (let n = 0; n < cases; n++) await fuzzCase(target, tokens, i++, target.name === "api" && n % 2 === 0);
    }
  } finally {
    console.error = original;
    Deno.env.delete("FATHOM_SYNC_SECRET");
  }
  // whatever was logged while refusing them carries none of the poison
  for (const line of logs) assert.ok(!/\u0000|\ud800|drop table/.test(line), line);
});

test("cleanup: fuzz tests leave the database as seeded", async () => {
  await reset();
  await resetDb({ dropOtherTeam: true }); // the outsider is in no team again (the e2e suite relies on it)
  await closeAll();
  await sql.end();
});
