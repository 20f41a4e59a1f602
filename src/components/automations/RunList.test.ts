import { describe, expect, it } from "vitest";
import type { RunSummary } from "@/lib/automationTypes";
import { runReason } from "./RunList";

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
