import { describe, expect, it } from "vitest";
import { parseNote, parseTask, parseTasksPage, parseTimelinePage } from "./crmSchema";
import { ApiError } from "./apiError";

const TASK = {
  id: "t1",
  title: "Send the deck",
  lead: { id: "l1", name: "Grace" },
  meeting: { id: "m1", title: null },
  action_item_index: 0,
  assignee: { id: "u1", name: null, email: "dana@example.com" },
  due_on: "2026-03-10",
  done: false,
  done_at: null,
  source: "action_item",
  automation_run_id: null,
  created_by: "u1",
  created_at: "2026-03-01T10:00:00Z",
};

describe("crmSchema", () => {
  it("reads a page of tasks, dropping entries without an id and defaulting what is missing", () => {
    const page = parseTasksPage({
      tasks: [TASK, { title: "no id" }, { id: "t2", title: " ", due_on: "10/03/2026", source: "robot" }],
      next_cursor: "c2",
    });
    expect(page.next_cursor).toBe("c2");
    expect(page.tasks).toHaveLength(2);
    expect(page.tasks[0]).toMatchObject({ id: "t1", meeting: { id: "m1", title: "Untitled meeting" }, due_on: "2026-03-10" });
    expect(page.tasks[1]).toMatchObject({ id: "t2", title: "Untitled task", due_on: null, source: "person", lead: null, assignee: null });
    expect(parseTasksPage(null)).toEqual({ tasks: [], next_cursor: null });
  });

  it("refuses a task answer without a task", () => {
    expect(parseTask({ task: TASK }).id).toBe("t1");
    expect(() => parseTask({})).toThrow(ApiError);
  });

  it("reads each timeline kind and skips unknown kinds and broken entries", () => {
    const page = parseTimelinePage({
      items: [
        { id: "note:n1", kind: "note", at: "2026-03-05T10:00:00Z", note: { id: "n1", body: "**hi**", author: null, source: "migrated", created_at: "2026-03-05T10:00:00Z", can_edit: true } },
        { id: "meeting:m1", kind: "meeting", at: "2026-03-04T10:00:00Z", meeting: { id: "m1", title: "QBR", recording_start_time: "2026-03-04T10:00:00Z" } },
        { id: "stage:1", kind: "stage_change", at: "2026-03-03T10:00:00Z", from: "new", to: "won", by: { id: "u1", name: "Dana", email: null }, automation_run_id: null },
        { id: "task:t1", kind: "task", at: "2026-03-02T10:00:00Z", task: TASK },
        { id: "run:r1", kind: "automation_run", at: "2026-03-01T10:00:00Z", run: { id: "r1", rule_id: "x", rule_name: "Tasks", status: "dead", error_message: "404" } },
        { id: "x:1", kind: "future_kind", at: "2026-03-01T10:00:00Z" },
        { id: "stage:2", kind: "stage_change", at: "2026-03-01T10:00:00Z" },
        { kind: "note", at: "2026-03-01T10:00:00Z", note: {} },
      ],
      next_cursor: null,
    });
    expect(page.items.map((i) => i.kind)).toEqual(["note", "meeting", "stage_change", "task", "automation_run"]);
    expect(page.items[0]).toMatchObject({ note: { body: "**hi**", updated_at: "2026-03-05T10:00:00Z", can_edit: true } });
  });

  it("reads a form response: answers as text (lists joined, booleans in words), empty and broken ones skipped", () => {
    const page = parseTimelinePage({
      items: [
        {
          id: "form_response:f1",
          kind: "form_response",
          at: "2026-03-05T10:00:00Z",
          response: {
            id: "f1",
            form_id: "cT1cXk9a",
            form_title: "Contact us",
            answers: [
              { field_id: "a", title: "What's your email?", type: "email", value: "jane@acme.test" },
              { field_id: "b", title: "Topics", type: "choices", value: ["Pricing", "Demo"] },
              { field_id: "c", title: "Newsletter?", type: "boolean", value: false },
              { field_id: "d", title: null, type: "number", value: 9 },
              { field_id: "e", title: "Empty", type: "text", value: "" },
              "broken",
            ],
          },
        },
        { id: "form_response:f2", kind: "form_response", at: "2026-03-05T10:00:00Z", response: {} },
      ],
      next_cursor: null,
    });
    expect(page.items).toEqual([
      {
        id: "form_response:f1",
        kind: "form_response",
        at: "2026-03-05T10:00:00Z",
        response: {
          id: "f1",
          form_title: "Contact us",
          answers: [
            { title: "What's your email?", value: "jane@acme.test" },
            { title: "Topics", value: "Pricing, Demo" },
            { title: "Newsletter?", value: "No" },
            { title: "Answer", value: "9" },
          ],
        },
      },
    ]);
  });

  it("reads a note answer", () => {
    expect(parseNote({ note: { id: "n1", body: "x", created_at: "2026-03-05T10:00:00Z" } })).toMatchObject({ id: "n1", can_edit: false });
    expect(() => parseNote({ note: { body: "x" } })).toThrow(ApiError);
  });
});
