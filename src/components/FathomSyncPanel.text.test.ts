import { describe, expect, it } from "vitest";
import { contentText } from "./FathomSyncPanel";
import type { FathomSync } from "@/lib/types";

const sync = {
  status: "completed", stage: "done", listed_count: 13, linked_count: 11, content_total: 13, content_done: 12,
  content_failed: 0, last_error: null, last_synced_at: null, started_at: null, finished_at: null,
} satisfies FathomSync;

describe("contentText", () => {
  it("says what the meeting not done yet is waiting for", () => {
    expect(contentText({ ...sync, content_waiting: 1 })).toBe(
      "Transcripts & summaries: 12/13 (failed 0); 1 waiting for Fathom to finish its summary (fetched by themselves)",
    );
    expect(contentText(sync)).toBe("Transcripts & summaries: 12/13 (failed 0)");
  });

  it("a re-import whose meetings all have their content says so, not 0/0", () => {
    expect(contentText({ ...sync, content_total: 0, content_done: 0 })).toBe(
      "Transcripts & summaries: nothing left to fetch (the listed meetings already have theirs)",
    );
  });
});
