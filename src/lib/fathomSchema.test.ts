import { describe, expect, it } from "vitest";
import { parseDestination, parseDisconnectResult, parseIntegration } from "./fathomSchema";
import { parseSyncState } from "./syncSchema";
import type { TeamIntegration } from "./types";

describe("fathomSchema", () => {
  it("keeps a row's warning, triggers and destination only when they can be shown", () => {
    const row = {
      provider: "fathom",
      webhook_triggers: [" my_recordings ", 3, null, ""],
      warning: { code: 7, message: "  Webhook gone ", at: "2026-11-30T10:00:00Z" },
      destination: { channel: "#sales", channelId: 1, workspace: null },
    } as unknown as TeamIntegration;
    const parsed = parseIntegration(row);
    expect(parsed.webhook_triggers).toEqual(["my_recordings", "3"]);
    expect(parsed.warning).toEqual({ code: "7", message: "Webhook gone", at: "2026-11-30T10:00:00Z" });
    expect(parsed.destination).toEqual({ channel: "#sales", channelId: "1", workspace: null, workspaceId: null });
    expect(parseIntegration({ ...row, warning: { code: "x" }, destination: [], webhook_triggers: "no" } as unknown as TeamIntegration))
      .toMatchObject({ warning: null, destination: null, webhook_triggers: null });
    expect(parseDestination({ channel: " " })).toBeNull();
  });

  it("reads the sync state and a disconnect's warning, whatever the server sent", () => {
    expect(parseSyncState({ sync: { status: "running" }, inbox: { pending: "2", failed: "x", last_error: " boom ", last_failed_at: "nope" } }))
      .toEqual({ sync: { status: "running" }, inbox: { pending: 2, failed: 0, last_error: "boom", last_error_text: null, last_failed_at: null } });
    expect(parseSyncState({ sync: null, inbox: { pending: 0, failed: 1, last_error: "x", last_error_text: " Zoom refused it. " } })?.inbox?.last_error_text)
      .toBe("Zoom refused it.");
    expect(parseSyncState(null)).toEqual({ sync: null, inbox: null });
    expect(parseSyncState({ sync: [1], inbox: "x" })).toEqual({ sync: null, inbox: null });
    expect(parseDisconnectResult({ warning: { message: "Could not delete the webhook" } }))
      .toEqual({ warning: { code: "warning", message: "Could not delete the webhook", at: null }, revocationMessage: null });
    expect(parseDisconnectResult({ warning: null, revoked: false, revocation_message: " Remove the app in Zoom. " }))
      .toEqual({ warning: null, revocationMessage: "Remove the app in Zoom." });
    // a confirmed revocation says nothing, whatever message came with it
    expect(parseDisconnectResult({ revoked: true, revocation_message: "x" })).toEqual({ warning: null, revocationMessage: null });
    expect(parseDisconnectResult("")).toEqual({ warning: null, revocationMessage: null });
  });
});
