import { describe, expect, it } from "vitest";
import { parseMeetingDetail, parseMeetingList } from "./meetingSchema";
import { toTimestamp } from "./meetingFields";
import { readableText } from "./tolerant";
import { meetingDetail } from "@/test/fixtures";

describe("readableText", () => {
  it("keeps strings, writes numbers, reads text out of objects and arrays, drops the rest", () => {
    expect(readableText("hi")).toBe("hi");
    expect(readableText(42)).toBe("42");
    expect(readableText(NaN)).toBeNull();
    expect(readableText({ markdown_formatted: "## A" })).toBe("## A");
    expect(readableText({ text: { value: "deep" } })).toBe("deep");
    expect(readableText(["a", 1, null, { text: "b" }])).toBe("a 1 b");
    expect(readableText({ a: 1 })).toBeNull();
    expect(readableText(true)).toBeNull();
    expect(readableText(null)).toBeNull();
  });
});

describe("toTimestamp", () => {
  it("gives Fathom's HH:MM:SS for seconds, MM:SS or HH:MM:SS, and null for anything else", () => {
    expect(toTimestamp(42)).toBe("00:00:42");
    expect(toTimestamp(3723.9)).toBe("01:02:03");
    expect(toTimestamp("754")).toBe("00:12:34");
    expect(toTimestamp("5:32")).toBe("00:05:32");
    expect(toTimestamp("01:02:03")).toBe("01:02:03");
    expect(toTimestamp("00:61:00")).toBeNull();
    expect(toTimestamp(-1)).toBeNull();
    expect(toTimestamp({ at: 3 })).toBeNull();
    expect(toTimestamp(null)).toBeNull();
  });
});

describe("parseMeetingDetail", () => {
  it("leaves a well-formed meeting as it is", () => {
    const m = meetingDetail();
    expect(parseMeetingDetail(m)).toEqual(m);
  });

  it("makes every field renderable, skipping entries that cannot be shown", () => {
    const m = parseMeetingDetail({
      id: 7,
      provider: "<img src=x>",
      provider_meeting_id: { x: 1 },
      title: null,
      url: "javascript:alert(1)",
      share_url: 5,
      recorded_by: "alice",
      invitees: "none",
      leads: [{ id: "l1", name: null }, { name: "no id" }],
      content_status: undefined,
      transcript: [{ speaker: "Ada", text: 5, timestamp: null }, { text: "  " }],
      action_items: { description: "not a list" },
      recording_start_time: "yesterday",
      summary_markdown: ["a", "b"],
    });
    expect(m).toMatchObject({
      id: "7",
      provider: "",
      provider_meeting_id: "",
      title: "",
      url: null,
      share_url: null,
      recorded_by: null,
      invitees: [],
      leads: [{ id: "l1", name: "Unnamed lead" }],
      content_status: "complete",
      transcript: [{ speaker: null, text: "5", timestamp: null }],
      action_items: null,
      recording_start_time: null,
      summary_markdown: "a b",
    });
  });

  it("reads the transcript's wait: until when, and a download held back after a failed attempt (junk reads as none)", () => {
    const m = parseMeetingDetail({
      ...meetingDetail(),
      content_status: "pending",
      content_wait_until: "2026-12-02T10:30:00Z",
      content_waiting: { kind: "download_failed", reason: "Zoom had a server error.", retry_at: "2026-12-01T01:01:00Z" },
    });
    expect(m.content_wait_until).toBe("2026-12-02T10:30:00Z");
    expect(m.content_waiting).toEqual({
      kind: "download_failed", reason: "Zoom had a server error.", retry_at: "2026-12-01T01:01:00Z", final: false, delivery_id: null,
    });
    const final = parseMeetingDetail({
      ...meetingDetail(),
      content_status: "pending",
      content_waiting: { kind: "download_failed", reason: "Zoom had a server error.", retry_at: null, final: true, delivery_id: "d-1" },
    });
    expect(final.content_waiting).toEqual({
      kind: "download_failed", reason: "Zoom had a server error.", retry_at: null, final: true, delivery_id: "d-1",
    });
    const junk = parseMeetingDetail({ ...meetingDetail(), content_wait_until: "soon", content_waiting: "yes" });
    expect(junk.content_wait_until).toBeNull();
    expect(junk.content_waiting).toBeNull();
  });

  it("refuses only a meeting that is not an object", () => {
    expect(() => parseMeetingDetail(null)).toThrow(expect.objectContaining({ code: "invalid_response" }));
    expect(() => parseMeetingDetail("x")).toThrow();
  });
});

describe("parseMeetingList", () => {
  it("skips entries without an id and answers [] for a non-list", () => {
    expect(parseMeetingList([{ id: "m-1" }, { title: "no id" }, null, 3]).map((m) => m.id)).toEqual(["m-1"]);
    expect(parseMeetingList({ meetings: [] })).toEqual([]);
  });
});

describe("action items and their tasks (issue 11)", () => {
  it("keeps each item's index in the server's list when an unreadable one is skipped, and reads its task", () => {
    const m = parseMeetingDetail({
      id: "m1",
      action_items: [
        { description: "" },
        { description: "Send the deck", task: { id: "t1", done: "true" } },
        { description: "Call back", task: { id: "t2", done: false, assignee: { id: "u1", name: "Dana" }, due_on: "2026-03-10" } },
        { description: "No task", task: { done: true } },
      ],
    });
    expect(m.action_items?.map((a) => [a.index, a.description, a.task])).toEqual([
      [1, "Send the deck", { id: "t1", done: true }],
      [2, "Call back", { id: "t2", done: false, assignee: { id: "u1", name: "Dana", email: null }, due_on: "2026-03-10" }],
      [3, "No task", null],
    ]);
  });
});
