import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { MeetingList } from "./MeetingList";
import { MeetingSource } from "./MeetingSource";
import { meetingSummary } from "@/test/fixtures";

describe("MeetingSource", () => {
  it("names the provider from the catalog, with 'Source:' for screen readers and a decorative icon", () => {
    render(<MeetingSource provider="zoom" />);
    const source = screen.getByTestId("meeting-source");
    expect(source).toHaveTextContent("Source: Zoom");
    expect(within(source).getByText("Source:", { exact: false })).toHaveClass("sr-only");
    expect(source.querySelector("svg")).toHaveAttribute("aria-hidden", "true");
  });

  it("shows a provider this build does not know by its slug, and a missing one as unknown", () => {
    const { rerender } = render(<MeetingSource provider="gong" />);
    expect(screen.getByTestId("meeting-source")).toHaveTextContent("Source: gong");
    rerender(<MeetingSource provider="" />);
    expect(screen.getByTestId("meeting-source")).toHaveTextContent("Source: Unknown source");
  });

  it("is on every row of a meeting list (the Meetings page and the lead page)", () => {
    render(
      <MemoryRouter>
        <MeetingList
          teamId="t1"
          meetings={[meetingSummary(), meetingSummary({ id: "m2", provider: "zoom", provider_meeting_id: "4Fq1==" })]}
        />
      </MemoryRouter>,
    );
    const rows = screen.getAllByTestId("meeting-row");
    expect(rows.map((r) => within(r).getByTestId("meeting-source").textContent)).toEqual([
      "Source: Fathom",
      "Source: Zoom",
    ]);
  });
});
