// A person without an account (an invitee) creates one in the app: sign-up, "check your inbox", and the sign-in page
// that the confirmation link lands on says what happened.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";

const signUp = vi.fn();
vi.mock("@/lib/supabase", () => ({
  supabase: { auth: { signUp: (...a: unknown[]) => signUp(...a), signInWithPassword: vi.fn() } },
}));
vi.mock("@/hooks/useSession", () => ({ useSession: () => ({ session: null, loading: false }) }));

import { SignUpPage, signUpErrorMessage } from "./SignUpPage";
import { SignInPage, confirmationNotice } from "./SignInPage";

beforeEach(() => {
  signUp.mockReset();
  window.history.replaceState(null, "", "/");
});

function renderSignUp() {
  render(
    <MemoryRouter>
      <SignUpPage />
    </MemoryRouter>,
  );
}

describe("SignUpPage", () => {
  it("signs up with name, e-mail and password, links back to the sign-in page, and says to open the mailed link", async () => {
    signUp.mockResolvedValue({ data: { user: { id: "u1" }, session: null }, error: null });
    renderSignUp();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Your name"), "Ivy Invitee");
    await user.type(screen.getByLabelText("Email"), " ivy@example.com ");
    await user.type(screen.getByLabelText("Password"), "long enough");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText("We sent a confirmation link to ivy@example.com")).toBeInTheDocument();
    expect(signUp).toHaveBeenCalledWith({
      email: "ivy@example.com",
      password: "long enough",
      options: { data: { full_name: "Ivy Invitee" }, emailRedirectTo: `${window.location.origin}/sign-in` },
    });
    expect(screen.getByRole("link", { name: "Go to sign in" })).toHaveAttribute("href", "/sign-in");
  });

  it("checks the address and the password's length before asking the server", async () => {
    renderSignUp();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "not-an-address");
    await user.type(screen.getByLabelText("Password"), "12345");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(screen.getByText("Enter an email address like name@company.com.")).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Email"));
    await user.type(screen.getByLabelText("Email"), "ivy@example.com");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(screen.getByText("At least 6 characters.", { selector: "#password-error" })).toBeInTheDocument();
    expect(signUp).not.toHaveBeenCalled();
  });

  it("says in words what a refusal means, never the server's text", async () => {
    expect(signUpErrorMessage({ code: "weak_password", status: 422 })).toMatch(/longer password/);
    expect(signUpErrorMessage({ code: "over_email_send_rate_limit", status: 429 })).toMatch(/Wait a minute/);
    expect(signUpErrorMessage({ status: 500, message: "db exploded" })).toBe("Sign-up failed. Please try again.");
    signUp.mockResolvedValue({ data: { user: null, session: null }, error: { code: "weak_password", status: 422 } });
    renderSignUp();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "ivy@example.com");
    await user.type(screen.getByLabelText("Password"), "123456");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText(/Choose a longer password/)).toBeInTheDocument();
  });
});

describe("the confirmation link's landing on the sign-in page", () => {
  it("reads Supabase's fragment: confirmed, or expired / already used; anything else says nothing", () => {
    expect(confirmationNotice("#access_token=t&refresh_token=r&type=signup")?.ok).toBe(true);
    expect(confirmationNotice("#error=access_denied&error_code=otp_expired&error_description=x")?.ok).toBe(false);
    expect(confirmationNotice("")).toBeNull();
    expect(confirmationNotice("#section-2")).toBeNull();
  });

  it("says the address is confirmed and takes the tokens out of the address bar", () => {
    window.history.replaceState(null, "", "/sign-in#access_token=secret-token&type=signup");
    render(
      <MemoryRouter>
        <SignInPage />
      </MemoryRouter>,
    );
    expect(screen.getByText("Your e-mail address is confirmed. Sign in to continue.")).toBeInTheDocument();
    expect(window.location.hash).toBe("");
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/sign-up");
  });
});
