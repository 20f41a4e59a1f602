import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import { ApiError } from "@/lib/apiError";
import * as errorText from "@/lib/errorText";
import { ErrorAlert } from "./ErrorAlert";

/**
 * ErrorAlert is in every page's entry chunk; the sentences (errorMessages.ts) load with the first failure
 * (errorText.ts). It still says what the table says, and says something readable when the table cannot be fetched.
 */
describe("ErrorAlert", () => {
  afterEach(() => vi.restoreAllMocks());

  it("words an error with the table's sentence once it has loaded, with Retry only for what a retry can fix", async () => {
    const { rerender } = render(
      <ErrorAlert title="Couldn't load your teams" error={new ApiError("rate_limited", "slow down", 429)} onRetry={() => {}} />,
    );
    expect(await screen.findByText("Too many requests in a short time. Wait a moment and try again.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();

    rerender(<ErrorAlert title="Couldn't load your teams" error={new ApiError("team_not_found", "Team not found.", 404)} onRetry={() => {}} />);
    expect(screen.getByText("This team doesn't exist, or you're not a member of it.")).toBeInTheDocument(); // loaded: at once
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("shows the error's own message when the sentences cannot be fetched (offline)", async () => {
    vi.spyOn(errorText, "loadedErrorMessages").mockReturnValue(undefined);
    const load = vi.spyOn(errorText, "loadErrorMessages").mockRejectedValue(new TypeError("Failed to fetch"));
    render(
      <ErrorAlert
        title="Couldn't load your teams"
        error={new ApiError("network_error", "No answer from the server (its own words).")}
        onRetry={() => {}}
      />,
    );
    expect(screen.getByText("No answer from the server (its own words).")).toBeInTheDocument();
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    expect(screen.getByText("No answer from the server (its own words).")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("a given message wins and fetches nothing", () => {
    vi.spyOn(errorText, "loadedErrorMessages").mockReturnValue(undefined);
    const load = vi.spyOn(errorText, "loadErrorMessages");
    render(<ErrorAlert title="Couldn't load integrations" error={new ApiError("x", "y", 500)} message="Could not reach the server." />);
    expect(screen.getByText("Could not reach the server.")).toBeInTheDocument();
    expect(load).not.toHaveBeenCalled();
  });
});
