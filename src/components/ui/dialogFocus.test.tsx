import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "./dialog";
import { AlertDialog, AlertDialogCancel, AlertDialogContent, AlertDialogDescription, AlertDialogTitle } from "./alert-dialog";

/** Dialogs opened from state, as LeadFormDialog is: no DialogTrigger for Radix to return focus to. */
function StateDialog() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Edit
      </button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogTitle>Edit lead</DialogTitle>
          <DialogDescription>Changes are visible to everyone.</DialogDescription>
          <input aria-label="Name" />
        </DialogContent>
      </Dialog>
    </>
  );
}

function StateAlertDialog() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Re-import
      </button>
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogContent>
          <AlertDialogTitle>Re-import?</AlertDialogTitle>
          <AlertDialogDescription>It lists every meeting again.</AlertDialogDescription>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

describe("a dialog opened from state returns focus to its opener when it closes", () => {
  it("Dialog, closed with Escape and with the Close button", async () => {
    const user = userEvent.setup();
    render(<StateDialog />);
    const opener = screen.getByRole("button", { name: "Edit" });

    await user.click(opener);
    expect(await screen.findByRole("dialog", { name: "Edit lead" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(opener).toHaveFocus();

    await user.click(opener);
    await user.click(await screen.findByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(opener).toHaveFocus();
  });

  it("AlertDialog, closed with Cancel", async () => {
    const user = userEvent.setup();
    render(<StateAlertDialog />);
    const opener = screen.getByRole("button", { name: "Re-import" });
    await user.click(opener);
    await user.click(await screen.findByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    expect(opener).toHaveFocus();
  });
});
