import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";

const signInWithPassword = vi.fn();
vi.mock("@/lib/supabase", () => ({
  supabase: { auth: { signInWithPassword: (...a: unknown[]) => signInWithPassword(...a) } },
}));
vi.mock("@/hooks/useSession", () => ({ useSession: () => ({ session: null, loading: false }) }));

import { SignInPage, showDemoAccounts } from "./SignInPage";

beforeEach(() => signInWithPassword.mockReset());

describe("SignInPage", () => {
  it("shows the demo accounts only in development or when VITE_SHOW_DEMO_ACCOUNTS is true", () => {
    expect(showDemoAccounts({ DEV: true })).toBe(true);
    expect(showDemoAccounts({ DEV: false, VITE_SHOW_DEMO_ACCOUNTS: "true" })).toBe(true);
    expect(showDemoAccounts({ DEV: false })).toBe(false);
    expect(showDemoAccounts({ DEV: false, VITE_SHOW_DEMO_ACCOUNTS: "1" })).toBe(false);
  });

  it("shows a clear error on bad credentials", async () => {
    signInWithPassword.mockResolvedValue({
      data: {},
      error: { message: "Invalid login credentials", status: 400, code: "invalid_credentials" },
    });
    render(
      <MemoryRouter>
        <SignInPage />
      </MemoryRouter>,
    );
    await userEvent.type(screen.getByLabelText("Email"), "demo-admin@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Incorrect email or password.")).toBeInTheDocument();
    expect(signInWithPassword).toHaveBeenCalledWith({ email: "demo-admin@example.com", password: "wrong" });
  });

  it("checks the e-mail's format at the field and never sends a malformed one", async () => {
    render(
      <MemoryRouter>
        <SignInPage />
      </MemoryRouter>,
    );
    const email = screen.getByLabelText("Email");
    await userEvent.type(email, "demo-admin");
    await userEvent.type(screen.getByLabelText("Password"), "demo-password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(signInWithPassword).not.toHaveBeenCalled();
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription(/Enter an email address/);
    expect(email).toHaveFocus();
    expect(screen.queryByText("Incorrect email or password.")).not.toBeInTheDocument();
  });

  it("email_not_confirmed: says to confirm first and names the address the link went to", async () => {
    signInWithPassword.mockResolvedValue({
      data: {},
      error: { message: "Email not confirmed", status: 400, code: "email_not_confirmed" },
    });
    render(
      <MemoryRouter>
        <SignInPage />
      </MemoryRouter>,
    );
    await userEvent.type(screen.getByLabelText("Email"), " new.person@example.com ");
    await userEvent.type(screen.getByLabelText("Password"), "a good password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(
      await screen.findByText("Confirm your e-mail first: we sent a link to new.person@example.com."),
    ).toBeInTheDocument();
    expect(signInWithPassword).toHaveBeenCalledWith({ email: "new.person@example.com", password: "a good password" });
  });

  it.each([
    [{ message: "Email not confirmed", status: 400, code: "email_not_confirmed" }, /Confirm your e-mail first/],
    [{ message: "Unable to validate email address: invalid format", status: 400, code: "validation_failed" }, /Sign-in failed/],
    [{ message: "Request rate limit reached", status: 429, code: "over_request_rate_limit" }, /Too many attempts/],
  ])("says 'Incorrect email or password' only for wrong credentials (%j)", async (error, expected) => {
    signInWithPassword.mockResolvedValue({ data: {}, error });
    render(
      <MemoryRouter>
        <SignInPage />
      </MemoryRouter>,
    );
    await userEvent.type(screen.getByLabelText("Email"), "demo-admin@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "demo-password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText(expected)).toBeInTheDocument();
    expect(screen.queryByText("Incorrect email or password.")).not.toBeInTheDocument();
    expect(screen.queryByText(error.message)).not.toBeInTheDocument();
  });
});
