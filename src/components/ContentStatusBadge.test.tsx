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

  it("never misses a summary of a provider that writes none (Zoom); an unknown provider's is not promised", () => {
    expect(missingContent({ provider: "zoom", transcript: null, summary_markdown: null })).toBe("Transcript");
    expect(missingContent({ provider: "zoom", transcript: [{ text: "Hi" }], summary_markdown: null })).toBe("Content");
    expect(missingContent({ provider: "zoom" })).toBe("Transcript");
    expect(missingContent({ provider: "fathom", transcript: null, summary_markdown: null })).toBe(
      "Transcript and summary",
    );
    expect(missingContent({ provider: "gong", transcript: null, summary_markdown: null })).toBe("Transcript");
  });

  it("says No transcript from Zoom for content Zoom's transcript never came to", () => {
    render(<ContentStatusBadge status="unavailable" reason="no_transcript" provider="zoom" />);
    expect(screen.getByText("No transcript from Zoom")).toHaveAttribute("data-content-status", "unavailable");
  });
});
