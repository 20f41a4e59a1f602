import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { toast } from "@/lib/toast";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { MEMBERS, TEAM_ID, lead } from "@/test/fixtures";
import { LeadFormDialog, validateLead } from "./LeadFormDialog";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
vi.mock("@/lib/toast", () => ({ toast: Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn() }) }));

function Harness({ editing }: { editing?: boolean }) {
  const [open, setOpen] = useState(true);
  return (
    <>
      <output data-testid="open">{String(open)}</output>
      <LeadFormDialog teamId={TEAM_ID} open={open} onOpenChange={setOpen} lead={editing ? lead() : undefined} />
    </>
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  api.listMembers.mockResolvedValue(MEMBERS);
});

describe("LeadFormDialog: unsaved edits", () => {
  it("closes at once on Esc when nothing was changed", async () => {
    const user = userEvent.setup();
    renderWithClient(<Harness editing />);
    await screen.findByRole("dialog", { name: "Edit lead" });
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.getByTestId("open")).toHaveTextContent("false"));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("asks before Esc discards a changed field; Keep editing keeps the text, Discard closes", async () => {
    const user = userEvent.setup();
    renderWithClient(<Harness editing />);
    const dialog = within(await screen.findByRole("dialog", { name: "Edit lead" }));
    await user.type(dialog.getByLabelText(/Name/), " Jr.");
    await user.keyboard("{Escape}");

    const confirm = await screen.findByRole("alertdialog", { name: "Discard changes?" });
    expect(screen.getByTestId("open")).toHaveTextContent("true");
    await user.click(within(confirm).getByRole("button", { name: "Keep editing" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(screen.getByRole("dialog", { name: "Edit lead" })).toBeInTheDocument();
    expect(within(screen.getByRole("dialog", { name: "Edit lead" })).getByLabelText(/Name/)).toHaveValue("Grace Hopper Jr.");

    await user.keyboard("{Escape}");
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Discard" }));
    await waitFor(() => expect(screen.getByTestId("open")).toHaveTextContent("false"));
    expect(api.updateLead).not.toHaveBeenCalled();
  });

  it("asks before Cancel and an outside click discard a new lead's fields", async () => {
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    const dialog = within(await screen.findByRole("dialog", { name: "New lead" }));
    await user.type(dialog.getByRole("textbox", { name: "E-mail 1" }), "ada@example.com");

    // a click outside the dialog (the modal makes <body> pointer-events: none, so user-event refuses it; Radix
    // listens on the document and acts on the click that follows the pointerdown)
    fireEvent.pointerDown(document.body, { button: 0 });
    fireEvent.click(document.body, { button: 0 });
    const confirm = await screen.findByRole("alertdialog", { name: "Discard changes?" });
    expect(screen.getByTestId("open")).toHaveTextContent("true");
    await user.click(within(confirm).getByRole("button", { name: "Keep editing" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());

    await user.click(dialog.getByRole("button", { name: "Cancel" }));
    expect(await screen.findByRole("alertdialog", { name: "Discard changes?" })).toBeInTheDocument();
    expect(screen.getByTestId("open")).toHaveTextContent("true");
  });

  it("a save closes without asking and confirms with a toast", async () => {
    api.updateLead.mockResolvedValue(lead({ name: "Grace B. Hopper" }));
    const user = userEvent.setup();
    renderWithClient(<Harness editing />);
    const dialog = within(await screen.findByRole("dialog", { name: "Edit lead" }));
    await user.clear(dialog.getByLabelText(/Name/));
    await user.type(dialog.getByLabelText(/Name/), "Grace B. Hopper");
    await user.click(dialog.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.getByTestId("open")).toHaveTextContent("false"));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(toast.success).toHaveBeenCalledWith("Saved Grace B. Hopper");
  });
});

describe("validateLead: a new lead's first note", () => {
  const values = (notes: string) => ({ name: "Ada", company: "", stage: "new" as const, emails: [""], owner_id: "", notes });
  // POST leads takes `notes` of at most 10,000 characters (supabase/functions/api/routes/leads.ts createSchema)
  it("refuses more than the API's 10,000 characters, before asking the server", () => {
    expect(validateLead(values("x".repeat(10_000))).notes).toBeUndefined();
    expect(validateLead(values("x".repeat(10_001))).notes).toBe("A first note is limited to 10,000 characters.");
  });
});
