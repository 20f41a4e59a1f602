import { vi } from "vitest";
import type { AutomationsApi } from "@/lib/automationsApi";
import type { Catalog, Rule, RuleSummary, RunDetail, RunSummary } from "@/lib/automationTypes";

/** Stand-in for src/lib/automationsApi.ts (the automation pages' boundary with the back end). */
export const automationsApi = {
  getCatalog: vi.fn(),
  listRules: vi.fn(),
  createRule: vi.fn(),
  getRule: vi.fn(),
  getVersion: vi.fn(),
  updateRule: vi.fn(),
  deleteRule: vi.fn(),
  testRule: vi.fn(),
  listRuleRuns: vi.fn<AutomationsApi["listRuleRuns"]>(async () => ({ runs: [], next_cursor: null })),
  listRuns: vi.fn<AutomationsApi["listRuns"]>(async () => ({ runs: [], next_cursor: null })),
  getRun: vi.fn(),
  retryRun: vi.fn(),
  rerunRun: vi.fn(),
  listEndpoints: vi.fn<AutomationsApi["listEndpoints"]>(async () => []),
  createEndpoint: vi.fn(),
  deleteEndpoint: vi.fn(),
} satisfies Record<keyof AutomationsApi, unknown>;

export const RULE_ID = "aaaaaaaa-0000-4000-8000-000000000001";
export const RUN_ID = "bbbbbbbb-0000-4000-8000-000000000001";

/** A catalogue as GET api/automation-catalog serves it (the part the editor uses). */
export const CATALOG: Catalog = {
  triggers: [
    { id: "meeting.linked_to_lead", label: "A meeting is linked to a lead" },
    { id: "meeting.imported_unmatched", label: "A meeting is imported with no lead" },
    { id: "lead.created", label: "A lead is created" },
    { id: "lead.stage_changed", label: "A lead's stage changes" },
  ],
  actions: [
    { type: "create_tasks", label: "Create tasks from action items", needs_lead: true },
    { type: "post_slack", label: "Post to Slack", needs_lead: false },
  ],
  filters: [{ name: "truncate", label: "Cut to N characters", arg: "number" }],
  variables: {
    "meeting.linked_to_lead": [
      { path: "meeting.title", label: "Meeting title", example: "Acme intro call" },
      { path: "lead.name", label: "Lead name", example: "Jane Doe" },
    ],
  },
  conditions: {
    "meeting.linked_to_lead": [
      { field: "meeting.duration_minutes", label: "Meeting duration (minutes)", ops: ["gte", "lte"], value_type: "number" },
      { field: "meeting.title", label: "Meeting title", ops: ["contains", "not_contains"], value_type: "string" },
    ],
  },
};

export function ruleSummary(overrides: Partial<RuleSummary> = {}): RuleSummary {
  return {
    id: RULE_ID,
    name: "Tasks from action items",
    trigger: "meeting.linked_to_lead",
    enabled: true,
    version: 2,
    paused_reason: null,
    paused_at: null,
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-21T10:00:00Z",
    last_run: { id: RUN_ID, status: "succeeded", created_at: "2026-11-29T10:00:00Z" },
    stats_7d: { succeeded: 5, failed: 0, skipped: 1 },
    dead_count: 0,
    retrying: { count: 0, last_error: null },
    problems: [],
    ...overrides,
  };
}

export function rule(overrides: Partial<Rule> = {}): Rule {
  return {
    ...ruleSummary(),
    conditions: { match: "all", rules: [] },
    actions: [{ type: "create_tasks", due_in_days: 3 }],
    ...overrides,
  };
}

export function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: RUN_ID,
    rule_id: RULE_ID,
    rule_name: "Post the summary to Slack",
    version: 2,
    version_name: "Post the summary to Slack",
    status: "dead",
    skip_reason: null,
    lead: { id: "11111111-1111-4111-8111-111111111111", name: "Grace Hopper" },
    meeting: { id: "22222221-2222-4222-8222-222222222221", title: "Quarterly Business Review" },
    attempt: 6,
    next_attempt_at: null,
    error_code: "destination_gone",
    error_message: "The Slack channel is gone (404)",
    created_at: "2026-11-29T10:00:00Z",
    started_at: "2026-11-29T10:00:01Z",
    finished_at: "2026-11-29T12:00:00Z",
    retry_of: null,
    ...overrides,
  };
}

export function runDetail(overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    ...runSummary(),
    context: { event: { type: "meeting.linked_to_lead", source: "webhook" } },
    conditions_result: { passed: true, results: [] },
    version_rule: {
      id: "v2",
      version: 2,
      name: "Post the summary to Slack",
      trigger: "meeting.linked_to_lead",
      conditions: { match: "all", rules: [] },
      actions: [{ type: "create_tasks", due_in_days: 3 }, { type: "post_slack", template: "*{{meeting.title}}*" }],
    },
    steps: [
      {
        step_index: 0,
        action_type: "create_tasks",
        status: "succeeded",
        resolved_input: { items: 2 },
        output: { task_ids: ["t1", "t2"] },
        error_code: null,
        error_message: null,
        attempts: 1,
        started_at: null,
        finished_at: "2026-11-29T10:00:02Z",
      },
      {
        step_index: 1,
        action_type: "post_slack",
        status: "failed",
        resolved_input: { text: "*Quarterly Business Review*" },
        output: null,
        error_code: "destination_gone",
        error_message: "The Slack channel is gone (404)",
        attempts: 6,
        started_at: null,
        finished_at: null,
      },
    ],
    retries: [],
    retry_of_run: null,
    requested: false,
    max_attempts: 6,
    ...overrides,
  };
}
