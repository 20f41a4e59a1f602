import { render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OptionalBoundary } from "./OptionalBoundary";
import { PageErrorBoundary } from "./PageErrorBoundary";

function Throws({ error }: { error: Error }): never {
  throw error;
}

afterEach(() => vi.restoreAllMocks());

describe("PageErrorBoundary", () => {
  it("a page's code that failed to load says so and offers Reload (React.lazy remembers the failure), review 10z #5", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <PageErrorBoundary resetKey="/a">
        <Throws error={new TypeError("Failed to fetch dynamically imported module: http://x/assets/Page-1.js")} />
      </PageErrorBoundary>,
    );
    expect(screen.getByText(/Part of the app couldn't be loaded/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reload" })).toBeInTheDocument();
    expect(screen.queryByText(/Something in the data/)).not.toBeInTheDocument();
  });

  it("any other error keeps its sentence and Try again", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <PageErrorBoundary resetKey="/a">
        <Throws error={new Error("boom")} />
      </PageErrorBoundary>,
    );
    expect(screen.getByText(/Something in the data on this page/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});

describe("OptionalBoundary", () => {
  it("what fails inside it shows nothing; what is beside it stays, review 10z #1", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <div>
        <OptionalBoundary>
          <Throws error={new TypeError("Failed to fetch dynamically imported module: http://x/assets/Banner.js")} />
        </OptionalBoundary>
        <p>The page</p>
      </div>,
    );
    expect(screen.getByText("The page")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
