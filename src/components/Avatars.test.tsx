import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { Avatar } from "@/components/ui/avatar";
import { AttendeeStack } from "@/components/AttendeeStack";

const session = vi.hoisted(() => ({
  current: { user: { email: "demo-admin@example.com", user_metadata: { full_name: "Ada Admin" } as Record<string, unknown> } },
}));
vi.mock("@/lib/supabase", () => ({ supabase: { auth: { signOut: vi.fn() } } }));
vi.mock("@/hooks/useSession", () => ({
  useSession: () => ({ session: session.current, loading: false }),
  signOut: vi.fn(),
}));

import { UserMenu } from "@/components/UserMenu";

describe("avatars show a person's initials (one helper everywhere)", () => {
  it("takes letters of the name, not the punctuation of a parenthesised title", () => {
    const { container } = render(<Avatar name="Tom Becker (CISO)" email="tom@example.com" colorKey="lead-1" />);
    expect(container.textContent).toBe("TB");
  });

  it("falls back to the e-mail, never to the color key (a lead's id)", () => {
    const { container } = render(<Avatar name="" email="ada.lovelace@example.com" colorKey="6f1c…" />);
    expect(container.textContent).toBe("AL");
  });

  it("gives attendees without a name the initials of their e-mail", () => {
    const { container } = render(
      <AttendeeStack invitees={[
          { name: "Tom Becker (CISO)", email: "tom@example.com", email_domain: "example.com", is_external: true },
          { name: null, email: "jo.doe@x.io", email_domain: "x.io", is_external: true },
        ]} />,
    );
    expect(container.textContent).toBe("TBJD");
  });

  it("the user's own avatar uses their name when Auth knows it", () => {
    render(
      <MemoryRouter>
        <UserMenu />
      </MemoryRouter>,
    );
    expect(screen.getByRole("button", { name: "User menu" })).toHaveTextContent(/^AA$/);
  });

  it("the user's own avatar falls back to the e-mail's local part", () => {
    session.current = { user: { email: "demo-admin@example.com", user_metadata: {} } };
    render(
      <MemoryRouter>
        <UserMenu />
      </MemoryRouter>,
    );
    expect(screen.getByRole("button", { name: "User menu" })).toHaveTextContent(/^DA$/);
  });
});
