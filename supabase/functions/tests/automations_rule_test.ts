// Rule bodies (_shared/automations/rule.ts): every action, bounds, defaults, and what depends on the trigger.
// Pure: no database, no network.
import assert from "node:assert/strict";
import { AppError } from "../_shared/errors.ts";
import { parseRuleBody, type RuleBody } from "../_shared/automations/rule.ts";
import { ACTIONS, actionsFor, automationCatalog, FILTERS, TRIGGERS, variablesFor } from "../_shared/automations/catalog.ts";
import { stageMove } from "../_shared/automations/context.ts";
import { OWNER_ID } from "./automations_support.ts";

const ENDPOINT = "1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D";

const base = () => ({
  name: "Tasks from action items",
  trigger: "meeting.linked_to_lead",
  actions: [{ type: "create_tasks" }],
});

function refusedWith(input: unknown, message: string | RegExp) {
  assert.throws(() => parseRuleBody(input), (err: unknown) => {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, "invalid_rule");
    assert.equal(err.status, 400);
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

Deno.test("parseRuleBody: every action in its full form, defaults filled, uuids lower-cased, name trimmed", () => {
  const body: RuleBody = parseRuleBody({
    name: "  Everything  ",
    enabled: true,
    trigger: "meeting.linked_to_lead",
    conditions: {
      match: "any",
      rules: [
        { field: "meeting.duration_minutes", op: "gte", value: 10 },
        { field: "meeting.has_external_attendees", op: "is", value: true },
        { field: "meeting.title", op: "not_contains", value: "internal" },
        { field: "lead.stage", op: "in", value: ["new", "contacted"] },
        { field: "lead.owner_id", op: "is", value: OWNER_ID.toUpperCase() },
        { field: "lead.owner_id", op: "is_not", value: "none" },
        { field: "event.source", op: "in", value: ["webhook", "import"] },
      ],
    },
    actions: [
      { type: "create_tasks", due_in_days: 3, fallback_assignee_id: OWNER_ID },
      { type: "add_note", template: "Met {{lead.name}}: {{meeting.summary | truncate: 500}}" },
      { type: "set_stage", stage: "qualified" },
      { type: "post_slack", template: "{{meeting.title}}", continue_on_failure: true },
      { type: "post_discord", template: "{{lead.name}}" },
      { type: "send_webhook", endpoint_id: ENDPOINT },
    ],
  });
  assert.equal(body.name, "Everything");
  assert.equal(body.conditions.rules[4].value, OWNER_ID);
  assert.deepEqual(body.actions, [
    { type: "create_tasks", continue_on_failure: false, due_in_days: 3, fallback_assignee_id: OWNER_ID },
    { type: "add_note", continue_on_failure: false, template: "Met {{lead.name}}: {{meeting.summary | truncate: 500}}" },
    { type: "set_stage", continue_on_failure: false, stage: "qualified", allow_backwards: false },
    { type: "post_slack", continue_on_failure: true, template: "{{meeting.title}}" },
    { type: "post_discord", continue_on_failure: false, template: "{{lead.name}}" },
    { type: "send_webhook", continue_on_failure: false, endpoint_id: ENDPOINT.toLowerCase() },
  ]);
  const minimal = parseRuleBody(base());
  assert.equal(minimal.enabled, false);
  assert.deepEqual(minimal.conditions, { match: "all", rules: [] });
});

Deno.test("parseRuleBody: shapes and bounds refused with the path of the first problem", () => {
  refusedWith(null, /expected object/);
  refusedWith({ ...base(), name: " " }, /^name: /);
  refusedWith({ ...base(), name: "x".repeat(121) }, /^name: /);
  parseRuleBody({ ...base(), name: "x".repeat(120) });
  refusedWith({ ...base(), enabled: "yes" }, /^enabled: /);
  refusedWith({ ...base(), trigger: "meeting.created" }, /^trigger: /);
  refusedWith({ ...base(), actions: [] }, /^actions: /);
  refusedWith({ ...base(), actions: Array(11).fill({ type: "post_slack", template: "x" }) }, /^actions: /);
  parseRuleBody({ ...base(), actions: Array(10).fill({ type: "post_slack", template: "x" }) });
  refusedWith({ ...base(), actions: [{ type: "send_email" }] }, /^actions\[0\]\.type: /);
  refusedWith({ ...base(), actions: [{ type: "create_tasks", due_in_days: 366 }] }, /^actions\[0\]\.due_in_days: /);
  refusedWith({ ...base(), actions: [{ type: "create_tasks", due_in_days: -1 }] }, /^actions\[0\]\.due_in_days: /);
  refusedWith({ ...base(), actions: [{ type: "create_tasks", due_in_days: 1.5 }] }, /^actions\[0\]\.due_in_days: /);
  parseRuleBody({ ...base(), actions: [{ type: "create_tasks", due_in_days: 0 }, { type: "create_tasks", due_in_days: 365 }] });
  refusedWith({ ...base(), actions: [{ type: "create_tasks", fallback_assignee_id: "sam" }] }, /^actions\[0\]\.fallback_assignee_id: /);
  refusedWith({ ...base(), actions: [{ type: "create_tasks", assignee: "x" }] }, /^actions\[0\]: .*assignee/);
  refusedWith({ ...base(), actions: [{ type: "create_tasks", continue_on_failure: 1 }] }, /^actions\[0\]\.continue_on_failure: /);
  refusedWith({ ...base(), actions: [{ type: "add_note" }] }, /^actions\[0\]\.template: /);
  refusedWith({ ...base(), actions: [{ type: "add_note", template: "  " }] }, "actions[0].template: must not be empty");
  refusedWith({ ...base(), actions: [{ type: "post_slack", template: "x".repeat(5001) }] }, /^actions\[0\]\.template: /);
  refusedWith({ ...base(), actions: [{ type: "set_stage", stage: "closed" }] }, /^actions\[0\]\.stage: /);
  refusedWith({ ...base(), actions: [{ type: "set_stage", stage: "won", allow_backwards: "no" }] }, /^actions\[0\]\.allow_backwards: /);
  refusedWith({ ...base(), actions: [{ type: "send_webhook" }] }, /^actions\[0\]\.endpoint_id: /);
  refusedWith({ ...base(), actions: [{ type: "send_webhook", endpoint_id: ENDPOINT, url: "https://x.test" }] }, /^actions\[0\]: .*url/);
  refusedWith({ ...base(), conditions: { match: "some", rules: [] } }, /^conditions\.match: /);
  refusedWith({ ...base(), conditions: { match: "all", rules: Array(21).fill({ field: "meeting.duration_minutes", op: "gte", value: 1 }) } }, /^conditions\.rules: /);
  parseRuleBody({ ...base(), conditions: { match: "all", rules: Array(20).fill({ field: "meeting.duration_minutes", op: "gte", value: 1 }) } });
  const cond = (rule: unknown) => ({ ...base(), conditions: { match: "all", rules: [rule] } });
  refusedWith(cond({ field: "meeting.attendee_count", op: "gte", value: 1 }), /^conditions\.rules\[0\]\.field: /);
  refusedWith(cond({ field: "meeting.duration_minutes", op: "gt", value: 1 }), /^conditions\.rules\[0\]\.op: /);
  refusedWith(cond({ field: "meeting.duration_minutes", op: "gte", value: "10" }), /^conditions\.rules\[0\]\.value: /);
  refusedWith(cond({ field: "meeting.has_external_attendees", op: "is", value: "true" }), /^conditions\.rules\[0\]\.value: /);
  refusedWith(cond({ field: "meeting.title", op: "contains", value: "" }), /^conditions\.rules\[0\]\.value: /);
  refusedWith(cond({ field: "lead.stage", op: "in", value: [] }), /^conditions\.rules\[0\]\.value: /);
  refusedWith(cond({ field: "lead.stage", op: "in", value: ["new", "closed"] }), /^conditions\.rules\[0\]\.value\[1\]: /);
  refusedWith(cond({ field: "lead.owner_id", op: "is", value: "nobody" }), /^conditions\.rules\[0\]\.value: /);
  refusedWith(cond({ field: "event.source", op: "not_in", value: ["import"] }), /^conditions\.rules\[0\]\.op: /);
  refusedWith(cond({ field: "event.source", op: "in", value: ["email"] }), /^conditions\.rules\[0\]\.value\[0\]: /);
});

Deno.test("parseRuleBody: templates are compiled for the rule's trigger; the first bad one is named with its index", () => {
  refusedWith(
    { ...base(), actions: [{ type: "post_slack", template: "{{lead.name}}" }, { type: "add_note", template: "Hi {{lead.nmae}}" }] },
    "actions[1].template: unknown variable {{lead.nmae}}",
  );
  refusedWith({ ...base(), actions: [{ type: "post_discord", template: "{{lead.name | shout}}" }] }, /^actions\[0\]\.template: unknown filter "shout"/);
  refusedWith({ ...base(), actions: [{ type: "send_webhook", endpoint_id: ENDPOINT, template: "{{meeting.title" }] }, /^actions\[0\]\.template: unterminated/);
  refusedWith({ ...base(), trigger: "lead.created", actions: [{ type: "post_slack", template: "{{meeting.title}}" }] },
    "actions[0].template: unknown variable {{meeting.title}}");
  parseRuleBody({ ...base(), trigger: "lead.stage_changed", actions: [{ type: "post_slack", template: "{{event.from_stage}} -> {{event.to_stage}}" }] });
});

Deno.test("parseRuleBody: conditions and actions the trigger cannot serve are refused at parse", () => {
  const withCondition = (trigger: string, field: string, op: string, value: unknown) => ({
    ...base(), trigger, actions: [{ type: "post_slack", template: "x" }], conditions: { match: "all", rules: [{ field, op, value }] },
  });
  for (const trigger of ["lead.created", "lead.stage_changed"]) {
    refusedWith(withCondition(trigger, "meeting.duration_minutes", "gte", 5), `conditions.rules[0].field: meeting.duration_minutes is not available for ${trigger}`);
    refusedWith(withCondition(trigger, "meeting.title", "contains", "x"), /meeting\.title is not available/);
    refusedWith(withCondition(trigger, "meeting.has_external_attendees", "is", true), /not available/);
    parseRuleBody(withCondition(trigger, "lead.stage", "in", ["new"]));
    parseRuleBody(withCondition(trigger, "event.source", "in", ["person"]));
  }
  refusedWith(withCondition("meeting.imported_unmatched", "lead.stage", "in", ["new"]), "conditions.rules[0].field: lead.stage is not available for meeting.imported_unmatched");
  refusedWith(withCondition("meeting.imported_unmatched", "lead.owner_id", "is", "none"), /lead\.owner_id is not available/);
  parseRuleBody(withCondition("meeting.imported_unmatched", "meeting.title", "contains", "x"));

  const withAction = (trigger: string, action: unknown) => ({ ...base(), trigger, actions: [{ type: "post_slack", template: "x" }, action] });
  for (const action of [{ type: "add_note", template: "x" }, { type: "set_stage", stage: "won" }]) {
    refusedWith(withAction("meeting.imported_unmatched", action), `actions[1].type: ${action.type} needs a lead, meeting.imported_unmatched has none`);
    parseRuleBody(withAction("lead.created", action));
  }
  refusedWith(withAction("meeting.imported_unmatched", { type: "create_tasks" }), /^actions\[1\]\.type: create_tasks needs a meeting linked to a lead/);
  refusedWith(withAction("lead.created", { type: "create_tasks" }), /^actions\[1\]\.type: create_tasks needs a meeting/);
  refusedWith(withAction("lead.stage_changed", { type: "create_tasks" }), /create_tasks needs/);
  parseRuleBody(withAction("meeting.imported_unmatched", { type: "post_discord", template: "{{meeting.title}}" }));
  parseRuleBody(withAction("meeting.imported_unmatched", { type: "send_webhook", endpoint_id: ENDPOINT }));
});

Deno.test("catalog: triggers, actions per trigger and variables agree with what parseRuleBody accepts", () => {
  assert.deepEqual(TRIGGERS.map((t) => t.type), ["meeting.linked_to_lead", "meeting.imported_unmatched", "lead.created", "lead.stage_changed"]);
  assert.deepEqual(actionsFor("meeting.imported_unmatched"), ["post_slack", "post_discord", "send_webhook"]);
  assert.deepEqual(actionsFor("lead.created"), ["add_note", "set_stage", "post_slack", "post_discord", "send_webhook"]);
  assert.deepEqual(actionsFor("meeting.linked_to_lead"), ACTIONS.map((a) => a.type));
  const sample: Record<string, unknown> = {
    create_tasks: { type: "create_tasks" }, add_note: { type: "add_note", template: "x" }, set_stage: { type: "set_stage", stage: "won" },
    post_slack: { type: "post_slack", template: "x" }, post_discord: { type: "post_discord", template: "x" },
    send_webhook: { type: "send_webhook", endpoint_id: ENDPOINT },
  };
  for (const { type: trigger } of TRIGGERS) {
    for (const action of ACTIONS) {
      const input = { name: "x", trigger, actions: [sample[action.type]] };
      if (actionsFor(trigger).includes(action.type)) parseRuleBody(input);
      else assert.throws(() => parseRuleBody(input), AppError);
    }
    const template = variablesFor(trigger).map((v) => `{{${v.path}}}`).join(" ");
    parseRuleBody({ name: "x", trigger, actions: [{ type: "post_slack", template }] });
  }
  // the picker's copy is the caller's: changing it does not change the catalogue
  variablesFor("lead.created")[0].path = "changed";
  assert.notEqual(variablesFor("lead.created")[0].path, "changed");
});

Deno.test("automationCatalog: JSON the editor can build its pickers from, a copy each time", () => {
  const catalog = automationCatalog();
  assert.deepEqual(JSON.parse(JSON.stringify(catalog)), catalog);
  assert.deepEqual(catalog.triggers.map((t) => t.type), TRIGGERS.map((t) => t.type));
  const unmatched = catalog.triggers.find((t) => t.type === "meeting.imported_unmatched")!;
  assert.deepEqual(unmatched.actions, ["post_slack", "post_discord", "send_webhook"]);
  assert.ok(!unmatched.variables.some((v) => v.path.startsWith("lead.")));
  assert.ok(unmatched.variables.some((v) => v.path === "meeting.title" && v.example));
  assert.deepEqual(catalog.filters.map((f) => f.name), Object.keys(FILTERS));
  assert.deepEqual(catalog.filters.find((f) => f.name === "truncate"), { name: "truncate", arg: "number", label: FILTERS.truncate.label });
  catalog.actions[0].needs.lead = false;
  assert.equal(automationCatalog().actions[0].needs.lead, true);
});

Deno.test("stageMove: set_stage never moves a lead backwards unless the action allows it", () => {
  assert.equal(stageMove("new", "qualified", false), "set");
  assert.equal(stageMove("qualified", "qualified", false), "unchanged");
  assert.equal(stageMove("qualified", "qualified", true), "unchanged");
  assert.equal(stageMove("proposal", "contacted", false), "backwards");
  assert.equal(stageMove("proposal", "contacted", true), "set");
  assert.equal(stageMove("won", "lost", false), "set"); // pipeline order: new, contacted, qualified, proposal, won, lost
  assert.equal(stageMove("lost", "won", false), "backwards");
});
