// Rule conditions (_shared/automations/conditions.ts): all / any, each operator, null and missing fields.
// Pure: no database, no network.
import assert from "node:assert/strict";
import { evaluateConditions } from "../_shared/automations/conditions.ts";
import type { Condition } from "../_shared/automations/rule.ts";
import type { RunContext } from "../_shared/automations/context.ts";
import { OWNER_ID, sampleContext } from "./automations_support.ts";

const one = (rule: Condition, ctx: RunContext = sampleContext()) => evaluateConditions({ match: "all", rules: [rule] }, ctx);
const passes = (rule: Condition, ctx?: RunContext) => one(rule, ctx).passed;
const meetingWith = (patch: Partial<NonNullable<RunContext["meeting"]>>) => sampleContext({ meeting: { ...sampleContext().meeting!, ...patch } });
const leadWith = (patch: Partial<NonNullable<RunContext["lead"]>>) => sampleContext({ lead: { ...sampleContext().lead!, ...patch } });

Deno.test("evaluateConditions: no rules pass (all and any); all needs every rule, any one of them; each rule is reported", () => {
  assert.deepEqual(evaluateConditions({ match: "all", rules: [] }, sampleContext()), { passed: true, results: [] });
  assert.deepEqual(evaluateConditions({ match: "any", rules: [] }, sampleContext()), { passed: true, results: [] });
  const yes: Condition = { field: "meeting.duration_minutes", op: "gte", value: 30 };
  const no: Condition = { field: "meeting.title", op: "contains", value: "renewal" };
  assert.equal(evaluateConditions({ match: "all", rules: [yes, no] }, sampleContext()).passed, false);
  assert.equal(evaluateConditions({ match: "all", rules: [yes, yes] }, sampleContext()).passed, true);
  assert.equal(evaluateConditions({ match: "any", rules: [no, yes] }, sampleContext()).passed, true);
  assert.equal(evaluateConditions({ match: "any", rules: [no, no] }, sampleContext()).passed, false);
  assert.deepEqual(evaluateConditions({ match: "any", rules: [yes, no] }, sampleContext()).results, [
    { field: "meeting.duration_minutes", op: "gte", value: 30, actual: 32, passed: true },
    { field: "meeting.title", op: "contains", value: "renewal", actual: "Acme intro call", passed: false },
  ]);
});

Deno.test("evaluateConditions: each operator", () => {
  // duration: bounds are inclusive
  assert.equal(passes({ field: "meeting.duration_minutes", op: "gte", value: 32 }), true);
  assert.equal(passes({ field: "meeting.duration_minutes", op: "gte", value: 33 }), false);
  assert.equal(passes({ field: "meeting.duration_minutes", op: "lte", value: 32 }), true);
  assert.equal(passes({ field: "meeting.duration_minutes", op: "lte", value: 31 }), false);
  // external attendees
  assert.equal(passes({ field: "meeting.has_external_attendees", op: "is", value: true }), true);
  assert.equal(passes({ field: "meeting.has_external_attendees", op: "is", value: false }), false);
  assert.equal(passes({ field: "meeting.has_external_attendees", op: "is", value: false }, meetingWith({ has_external_attendees: false })), true);
  // title, case-insensitive
  assert.equal(passes({ field: "meeting.title", op: "contains", value: "INTRO" }), true);
  assert.equal(passes({ field: "meeting.title", op: "not_contains", value: "Intro" }), false);
  assert.equal(passes({ field: "meeting.title", op: "not_contains", value: "renewal" }), true);
  // stage
  assert.equal(passes({ field: "lead.stage", op: "in", value: ["new", "contacted"] }), true);
  assert.equal(passes({ field: "lead.stage", op: "in", value: ["won"] }), false);
  assert.equal(passes({ field: "lead.stage", op: "not_in", value: ["won", "lost"] }), true);
  assert.equal(passes({ field: "lead.stage", op: "not_in", value: ["contacted"] }), false);
  // owner: by id (any case), or "none"
  assert.equal(passes({ field: "lead.owner_id", op: "is", value: OWNER_ID }), true);
  assert.equal(passes({ field: "lead.owner_id", op: "is", value: OWNER_ID.toUpperCase() }), true);
  assert.equal(passes({ field: "lead.owner_id", op: "is_not", value: OWNER_ID }), false);
  assert.equal(passes({ field: "lead.owner_id", op: "is", value: "none" }), false);
  assert.equal(passes({ field: "lead.owner_id", op: "is_not", value: "none" }), true);
  const unowned = leadWith({ owner_id: null });
  assert.equal(passes({ field: "lead.owner_id", op: "is", value: "none" }, unowned), true);
  assert.equal(passes({ field: "lead.owner_id", op: "is_not", value: "none" }, unowned), false);
  assert.equal(passes({ field: "lead.owner_id", op: "is", value: OWNER_ID }, unowned), false);
  assert.equal(passes({ field: "lead.owner_id", op: "is_not", value: OWNER_ID }, unowned), true);
  // source of the event
  assert.equal(passes({ field: "event.source", op: "in", value: ["webhook"] }), true);
  assert.equal(passes({ field: "event.source", op: "in", value: ["import", "person"] }), false);
});

Deno.test("evaluateConditions: a missing field fails its condition, whatever the operator (never an error)", () => {
  const noMeeting = sampleContext({ meeting: undefined });
  const noLead = sampleContext({ lead: undefined });
  const cases: [Condition, RunContext][] = [
    [{ field: "meeting.duration_minutes", op: "gte", value: 0 }, noMeeting],
    [{ field: "meeting.duration_minutes", op: "lte", value: 1000 }, meetingWith({ duration_minutes: null })],
    [{ field: "meeting.has_external_attendees", op: "is", value: false }, noMeeting],
    [{ field: "meeting.title", op: "not_contains", value: "x" }, noMeeting],
    [{ field: "meeting.title", op: "not_contains", value: "x" }, meetingWith({ title: null as unknown as string })],
    [{ field: "lead.stage", op: "not_in", value: ["won"] }, noLead],
    [{ field: "lead.owner_id", op: "is", value: "none" }, noLead],
    [{ field: "lead.owner_id", op: "is_not", value: "none" }, noLead],
    [{ field: "lead.owner_id", op: "is_not", value: OWNER_ID }, noLead],
    [{ field: "event.source", op: "in", value: ["webhook"] }, { ...sampleContext(), event: {} as RunContext["event"] }],
  ];
  for (const [rule, ctx] of cases) {
    const { passed, results } = one(rule, ctx);
    assert.equal(passed, false, JSON.stringify(rule));
    assert.equal(results[0].passed, false);
  }
  assert.equal(one({ field: "meeting.duration_minutes", op: "gte", value: 0 }, noMeeting).results[0].actual, null);
  // a value of the wrong type (bad stored data) fails too
  assert.equal(passes({ field: "meeting.duration_minutes", op: "gte", value: 0 }, meetingWith({ duration_minutes: "40" as unknown as number })), false);
  assert.equal(passes({ field: "meeting.duration_minutes", op: "lte", value: 10 }, meetingWith({ duration_minutes: NaN })), false);
  // "any" with one missing and one passing field passes
  assert.equal(evaluateConditions({ match: "any", rules: [
    { field: "lead.stage", op: "in", value: ["new"] }, { field: "meeting.title", op: "contains", value: "acme" },
  ] }, noLead).passed, true);
});
