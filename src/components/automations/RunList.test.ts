import { describe, expect, it } from "vitest";
import type { RunSummary } from "@/lib/automationTypes";
import { runReason, runRuleName, runSummaryText } from "./RunList";

const base = { status: "skipped", skip_reason: "rule_disabled", error_code: null, error_message: null } as unknown as RunSummary;

describe("runReason", () => {
  it("shows the engine's sentence for a run ended because its rule was turned off", () => {
    const sentence = "The automation was turned off before this run finished; it was not run again, and turning the automation on does not resume it.";
    expect(runReason({ ...base, error_message: sentence })).toBe(sentence);
  });
  it("falls back to the skip reason's label", () => {
    expect(runReason({ ...base, skip_reason: "conditions" })).toBe("conditions not met");
  });
});

describe("runRuleName", () => {
  it("names a run after the version it ran, with the rule's name now when it was renamed since", () => {
    expect(runRuleName({ rule_name: "Webhook to 500", version_name: "Webhook to 404" })).toEqual({
      name: "Webhook to 404",
      renamed: "Webhook to 500",
    });
    expect(runRuleName({ rule_name: "Same", version_name: "Same" })).toEqual({ name: "Same", renamed: null });
    // an API that did not say: the rule's name, nothing claimed about renaming
    expect(runRuleName({ rule_name: "Old API", version_name: "" })).toEqual({ name: "Old API", renamed: null });
  });
});

describe("runSummaryText", () => {
  const brief = { created: null, to: null, sent: null, channel: null, workspace: null, endpoint: null };
  it("says in one line what a succeeded run did", () => {
    expect(
      runSummaryText({
        status: "succeeded",
        outcomes: [
          { ...brief, action_type: "create_tasks", created: 3 },
          { ...brief, action_type: "post_slack", sent: "slack", channel: "#sales", workspace: "Acme" },
          { ...brief, action_type: "send_webhook", endpoint: "Zapier" },
        ],
      }),
    ).toBe("3 tasks created · posted to #sales · webhook sent to Zapier");
  });
  it("says nothing for other runs", () => {
    expect(runSummaryText({ status: "dead", outcomes: null })).toBeNull();
  });
});
