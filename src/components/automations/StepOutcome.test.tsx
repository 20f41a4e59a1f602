import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { readTaskOutcomes, readWebhookDelivery, runAttemptsText } from "@/lib/automationOutputs";
import type { DryRunResult } from "@/lib/automationTypes";
import { TestResult } from "./TestPanel";

const BODY = { type: "meeting.linked_to_lead", id: "r1", test: true, data: { message: "Hi Jane" } };
const ENDPOINT_ID = "ee000000-0000-4000-8000-000000000001";

function dryRun(delivery: unknown, sent?: { ok: boolean; error?: string }): DryRunResult {
  return {
    conditions: { passed: true, results: [] },
    missing: [],
    actions: [
      {
        index: 0,
        type: "send_webhook",
        input: { type: "send_webhook", endpoint_id: ENDPOINT_ID, message: "Hi Jane" },
        would: "Would send a signed webhook to “Zapier”.",
        delivery,
        ...(sent ? { sent } : {}),
      },
    ],
  };
}

describe("the dry run's webhook action", () => {
  it("before sending: the endpoint's name and the body it would send, not the endpoint id", () => {
    render(<TestResult teamId="t1" result={dryRun({ endpoint: { id: ENDPOINT_ID, name: "Zapier" }, webhook_id: null, body: BODY, sent: false, status: null })} catalog={undefined} sent={false} />);
    expect(screen.getByText("Zapier")).toBeInTheDocument();
    expect(screen.getByText("JSON body it would send")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "What action 1 would send" })).toHaveTextContent('"message": "Hi Jane"');
    expect(screen.queryByText(new RegExp(ENDPOINT_ID))).not.toBeInTheDocument();
    expect(screen.queryByText("Answer")).not.toBeInTheDocument();
  });

  it("once sent: the webhook-id, the answer's status and its scrubbed excerpt", () => {
    render(
      <TestResult teamId="t1"
        result={dryRun(
          { endpoint: { id: ENDPOINT_ID, name: "Zapier" }, webhook_id: "test_abc", body: BODY, sent: true, status: 400, response_excerpt: "bad field" },
          { ok: false, error: "The endpoint answered HTTP 400." },
        )}
        catalog={undefined}
        sent
      />,
    );
    expect(screen.getByText("test_abc")).toBeInTheDocument();
    expect(screen.getByText("HTTP 400")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Answer to What action 1 sent" })).toHaveTextContent("bad field");
    expect(screen.getByText("JSON body sent")).toBeInTheDocument();
    expect(screen.getByText(/shown to owners and admins only/)).toBeInTheDocument();
  });

  it("for a member: the status and the API's sentence that the answer is for admins, no excerpt", () => {
    const note = "What the endpoint answered is shown to team owners and admins only.";
    render(
      <TestResult teamId="t1"
        result={dryRun({ endpoint: { id: ENDPOINT_ID, name: "Zapier" }, webhook_id: "r:0", body: BODY, sent: true, status: 404, response_excerpt_note: note })}
        catalog={undefined}
        sent
      />,
    );
    expect(screen.getByText("HTTP 404")).toBeInTheDocument();
    expect(screen.getByTestId("excerpt-note")).toHaveTextContent(note);
    expect(screen.queryByRole("region", { name: /^Answer to/ })).not.toBeInTheDocument();
  });
});

describe("automationOutputs", () => {
  it("reads older step outputs as null (the page shows their JSON)", () => {
    expect(readWebhookDelivery({ webhook_id: "r:0", status: 200, host: "x" })).toBeNull();
    expect(readTaskOutcomes({ created: 1, tasks: [{ id: "t", item_index: 0, assignee_id: null }] })).toBeNull();
    expect(readTaskOutcomes(null)).toBeNull();
  });

  it("runAttemptsText names the run's automatic tries as such and each step's attempts", () => {
    const steps = [
      { step_index: 0, attempts: 1 },
      { step_index: 1, attempts: 2 },
      { step_index: 2, attempts: 1 },
    ];
    expect(runAttemptsText({ status: "succeeded", attempt: 1, max_attempts: 6, requested: false, steps })).toBe(
      "3 steps ran, 2 attempts on step 2",
    );
    expect(runAttemptsText({ status: "retrying", attempt: 1, max_attempts: 6, requested: true, steps })).toBe(
      "3 steps ran, 2 attempts on step 2 · automatic try 1 of 6 since it was asked for by hand",
    );
    expect(runAttemptsText({ status: "queued", attempt: 0, max_attempts: 6, requested: false, steps: [] })).toBe("");
  });
});
