import { describe, expect, it } from "vitest";
import { messageFor } from "./errorMessages";

describe("messageFor", () => {
  it("a dry run on a meeting linked to no lead says so, not that the lead is gone (issue 11, finding 3)", () => {
    const text = messageFor("meeting_has_no_lead", 409, "Request failed");
    expect(text).toMatch(/isn't linked to a lead/);
    expect(text).not.toMatch(/doesn't exist/);
  });
});
