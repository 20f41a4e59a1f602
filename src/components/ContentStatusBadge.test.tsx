import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ContentStatusBadge, missingContent } from "./ContentStatusBadge";

describe("ContentStatusBadge", () => {
  it("names what is missing: a transcript shown with a summary still pending is not 'Transcript pending'", () => {
    expect(missingContent({ transcript: [{ text: "Hi" }], summary_markdown: null })).toBe("Summary");
    expect(missingContent({ transcript: [], summary_markdown: "## Summary" })).toBe("Transcript");
    expect(missingContent({ transcript: null, summary_markdown: null })).toBe("Transcript and summary");
    expect(missingContent({ id: "a list row without content" })).toBe("Content");
    render(<ContentStatusBadge status="pending" missing={missingContent({ transcript: [{}], summary_markdown: "" })} />);
    expect(screen.getByText("Summary pending")).toBeInTheDocument();
  });
});
