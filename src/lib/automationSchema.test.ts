import { describe, expect, it } from "vitest";
import { ApiError } from "./apiError";
import { parseCatalog, parseDryRun, parseRule, parseRules, parseRun, parseRunsPage } from "./automationSchema";
import { fieldId, inputText, pathLabel, ruleErrorAt } from "./automationText";
import { fromBody, move, toBody } from "./automationDraft";

describe("automation parsers", () => {
  it("rules: entries without an id dropped, unknown statuses read unknown, counts default to 0", () => {
    const rules = parseRules({
      rules: [
        { id: "r1", name: "A", trigger: "lead.created", enabled: true, version: 2, last_run: { id: "x", status: "weird" } },
        { name: "no id" },
        "junk",
      ],
    });
    expect(rules).toHaveLength(1);
    expect(rules[0].last_run).toEqual({ id: "x", status: "unknown", created_at: null });
    expect(rules[0].stats_7d).toEqual({ succeeded: 0, failed: 0, skipped: 0 });
    expect(rules[0].dead_count).toBe(0);
  });

  it("a rule without a body is an invalid_response, not a crash", () => {
    expect(() => parseRule({})).toThrow(ApiError);
    const { rule, versions } = parseRule({
      rule: { id: "r1", name: "A", trigger: "meeting.linked_to_lead", conditions: { match: "any", rules: [{ field: "meeting.title", op: "contains", value: "x" }, 3] }, actions: [{ type: "post_slack", template: "t" }, null] },
      versions: [{ id: "v1", version: 1, name: "A", created_by: null }],
    });
    expect(rule.conditions).toEqual({ match: "any", rules: [{ field: "meeting.title", op: "contains", value: "x" }] });
    expect(rule.actions).toEqual([{ type: "post_slack", template: "t" }]);
    expect(versions[0].version).toBe(1);
  });

  it("a run's detail: `version` is the rule as it was, steps in order", () => {
    const run = parseRun({
      run: {
        id: "run1",
        rule_name: "R",
        status: "dead",
        version: { id: "v", version: 4, name: "R", trigger: "lead.created", conditions: { match: "all", rules: [] }, actions: [{ type: "add_note", template: "x" }] },
        steps: [{ step_index: 1, action_type: "b", status: "failed" }, { step_index: 0, action_type: "a", status: "succeeded" }],
      },
    });
    expect(run.version).toBe(4);
    expect(run.version_rule?.actions).toEqual([{ type: "add_note", template: "x" }]);
    expect(run.steps.map((s) => s.step_index)).toEqual([0, 1]);
    expect([run.retry_of_run, run.requested, run.max_attempts]).toEqual([null, false, null]);
    const rerun = parseRun({
      run: {
        id: "run2",
        status: "succeeded",
        retry_of: "run1",
        retry_of_run: { id: "run1", status: "dead", created_at: "2026-11-29T10:00:00Z", version: 4 },
        retries: [{ id: "run3", status: "queued", created_at: "2026-11-29T11:00:00Z", version: 5 }, { status: "dead" }],
        requested: true,
        max_attempts: 6,
      },
    });
    expect(rerun.retry_of_run).toEqual({ id: "run1", status: "dead", created_at: "2026-11-29T10:00:00Z", version: 4 });
    expect(rerun.retries).toEqual([{ id: "run3", status: "queued", created_at: "2026-11-29T11:00:00Z", version: 5 }]);
    expect([rerun.requested, rerun.max_attempts]).toEqual([true, 6]);
    expect(parseRunsPage({ runs: [{ id: "a", status: "dead" }], next_cursor: "" })).toEqual({
      runs: [expect.objectContaining({ id: "a", status: "dead", lead: null, meeting: null })],
      next_cursor: null,
    });
  });

  it("dry run and catalogue", () => {
    expect(parseDryRun({ result: { actions: [{ type: "post_slack", input: { text: "x" }, would: "would post", sent: { ok: false, error: "gone" } }], missing: ["lead.name", 3] } })).toEqual({
      conditions: { passed: true, results: [] },
      actions: [{ index: 0, type: "post_slack", input: { text: "x" }, would: "would post", sent: { ok: false, error: "gone" } }],
      missing: ["lead.name"],
    });
    const c = parseCatalog({ triggers: [{ id: "lead.created", label: "L" }], variables: { "lead.created": [{ path: "lead.name", label: "Name", example: "Jane" }, {}] }, conditions: {} });
    expect(c.variables["lead.created"]).toEqual([{ path: "lead.name", label: "Name", example: "Jane" }]);
  });
});

describe("rule errors and drafts", () => {
  it("an invalid_rule error is read as the path it names and its message", () => {
    const err = new ApiError("invalid_rule", "x", 400, undefined, "conditions.rules[2].value: Too small: expected array to have >=1 items");
    expect(ruleErrorAt(err)).toEqual({ path: "conditions.rules[2].value", message: "Too small: expected array to have >=1 items" });
    expect(pathLabel("conditions.rules[2].value")).toBe("If, condition 3, value");
    expect(pathLabel("actions[0].due_in_days")).toBe("Then, action 1, due in days");
    expect(fieldId("actions[0].template")).toBe("rule-actions-0-template");
    expect(ruleErrorAt(new ApiError("rule_limit", "x", 409))).toBeNull();
  });

  it("a resolved input reads as its text, or its tasks as a list", () => {
    expect(inputText({ type: "post_slack", text: "*Call* with Jane" })).toBe("*Call* with Jane");
    expect(inputText({ type: "add_note", body: "Met." })).toBe("Met.");
    expect(
      inputText({ type: "create_tasks", due_in_days: 3, items: [{ index: 0, title: "Send the proposal", assignee_email: "a@x.example" }, { index: 1, title: "Call back", assignee_email: null }] }),
    ).toBe("- Send the proposal (a@x.example)\n- Call back");
    expect(inputText({ type: "set_stage", stage: "won" })).toBe('{\n  "type": "set_stage",\n  "stage": "won"\n}');
  });

  it("toBody drops keys and empty optional fields; move reorders", () => {
    const draft = fromBody({
      name: "  A  ",
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [
        { type: "create_tasks", due_in_days: 3, fallback_assignee_id: "" },
        { type: "send_webhook", endpoint_id: "e", template: "  " },
      ],
    });
    expect(toBody(draft, false)).toEqual({
      name: "A",
      enabled: false,
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "create_tasks", due_in_days: 3 }, { type: "send_webhook", endpoint_id: "e" }],
    });
    expect(move([1, 2, 3], 2, 0)).toEqual([3, 1, 2]);
    expect(move([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
  });
});
