import { describe, expect, it } from "vitest";
import {
  actionItemUrl,
  filterTranscript,
  formatDuration,
  groupTranscript,
  meetingTitle,
  recordingUrlAt,
  timestampToSeconds,
} from "./meetings";

describe("meetings helpers", () => {
  it("turns HH:MM:SS (and MM:SS) into seconds, and refuses anything else", () => {
    expect(timestampToSeconds("00:00:00")).toBe(0);
    expect(timestampToSeconds("00:05:32")).toBe(332);
    expect(timestampToSeconds("01:02:03")).toBe(3723);
    expect(timestampToSeconds("12:34")).toBe(754);
    expect(timestampToSeconds("abc")).toBeNull();
    expect(timestampToSeconds("")).toBeNull();
    expect(timestampToSeconds(null)).toBeNull();
  });

  it("builds <url>#t=<seconds>, the form Fathom documents, only for http(s) recording URLs", () => {
    expect(recordingUrlAt("https://fathom.video/calls/1", 332)).toBe("https://fathom.video/calls/1#t=332");
    expect(recordingUrlAt("https://fathom.video/calls/1?x=1", 5)).toBe("https://fathom.video/calls/1?x=1#t=5");
    expect(recordingUrlAt("https://fathom.video/calls/1#t=9", 5)).toBe("https://fathom.video/calls/1#t=5");
    expect(recordingUrlAt("javascript:alert(1)", 5)).toBeNull();
    expect(recordingUrlAt(null, 5)).toBeNull();
    expect(recordingUrlAt("https://fathom.video/calls/1", null)).toBeNull();
  });

  it("links an action item in the same form as the transcript; its own playback URL only as a fallback", () => {
    const base = { description: "x", recording_timestamp: "00:01:00" };
    expect(actionItemUrl({ ...base, recording_playback_url: "https://f.video/c/1?timestamp=60" }, "https://f.video/c/1")).toBe(
      "https://f.video/c/1#t=60",
    );
    expect(actionItemUrl({ ...base, recording_playback_url: "javascript:x" }, "https://f.video/c/1")).toBe(
      "https://f.video/c/1#t=60",
    );
    expect(actionItemUrl({ ...base, recording_playback_url: "https://f.video/c/1#t=60" }, null)).toBe("https://f.video/c/1#t=60");
    expect(actionItemUrl({ ...base, recording_playback_url: "javascript:x" }, null)).toBeNull();
  });

  it("groups consecutive lines by speaker and filters by text or speaker", () => {
    const items = [
      { speaker: { display_name: "A" }, text: "one", timestamp: "00:00:01" },
      { speaker: { display_name: "A" }, text: "two", timestamp: "00:00:02" },
      { speaker: { display_name: "B" }, text: "three", timestamp: "00:00:03" },
      { speaker: { display_name: "A" }, text: "Four", timestamp: "00:00:04" },
    ];
    expect(groupTranscript(items).map((g) => [g.speaker, g.items.length])).toEqual([
      ["A", 2],
      ["B", 1],
      ["A", 1],
    ]);
    expect(filterTranscript(items, "four").map((i) => i.text)).toEqual(["Four"]);
    expect(filterTranscript(items, "b").map((i) => i.text)).toEqual(["three"]);
    expect(filterTranscript(items, "  ")).toBe(items);
  });

  it("formats durations and titles", () => {
    expect(formatDuration("2026-01-01T10:00:00Z", "2026-01-01T10:42:00Z")).toBe("42 min");
    expect(formatDuration("2026-01-01T10:00:00Z", "2026-01-01T11:05:00Z")).toBe("1 h 05 min");
    expect(formatDuration("2026-01-01T10:00:00Z", "2026-01-01T11:00:10Z")).toBe("1 h");
    expect(formatDuration(null, "2026-01-01T11:00:00Z")).toBeNull();
    expect(meetingTitle({ title: " ", meeting_title: "Calendar" })).toBe("Calendar");
    expect(meetingTitle({ title: null, meeting_title: null })).toBe("Untitled meeting");
  });
});

import { canonicalEmail } from "./email";

describe("canonicalEmail", () => {
  it("treats an NFD address, spaces and capitals as the address the server stores", () => {
    expect(canonicalEmail("  Jo\u0308rg.Mu\u0308ller@Bu\u0308cher.example ")).toBe("jörg.müller@bücher.example");
  });
});
