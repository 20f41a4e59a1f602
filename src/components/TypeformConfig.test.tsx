import { describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import type { TypeformFormView } from "@/lib/typeformApi";
import TypeformConfig from "./TypeformConfig";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
const tf = vi.hoisted(() => ({ listForms: vi.fn(), getForm: vi.fn(), setForm: vi.fn() }));
vi.mock("@/lib/typeformApi", () => ({ typeformApi: tf }));

const TEAM = "team-1";
const form = (o: Partial<TypeformFormView> = {}): TypeformFormView => ({
  form_id: "cT1cXk9a",
  title: "Contact us",
  enabled: false,
  mapping: null,
  last_refusal: null,
  backfill: { status: "idle", imported: 0, error: null },
  ...o,
});

beforeEach(() => {
  vi.clearAllMocks();
  api.listIntegrations.mockResolvedValue([
    { provider: "typeform", status: "connected", account_name: "Sandy Sandbox", connected_at: "2026-12-01T10:00:00Z", scopes: ["offline"] },
  ]);
});

describe("Typeform dialog", () => {
  it("lists the forms with a switch each, the import's progress and the last refusal", async () => {
    tf.listForms.mockResolvedValue([
      form({ enabled: true, backfill: { status: "done", imported: 3, error: null }, last_refusal: { reason: "The response has no e-mail address.", at: null } }),
      form({ form_id: "fD3kP7sV", title: "Product feedback" }),
    ]);
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const list = await screen.findByRole("list", { name: "Typeform forms" });
    const [contact, feedback] = within(list).getAllByRole("listitem");
    expect(within(contact).getByRole("switch", { name: "Contact us" })).toBeChecked();
    expect(contact).toHaveTextContent("3 past responses imported");
    expect(contact).toHaveTextContent("Last refused: The response has no e-mail address.");
    expect(within(feedback).getByRole("switch", { name: "Product feedback" })).not.toBeChecked();
  });

  it("switching a form on asks the server (which guesses the fields) and shows its refusal", async () => {
    tf.listForms.mockResolvedValue([form({ form_id: "fD3kP7sV", title: "Product feedback" })]);
    tf.setForm.mockRejectedValue(new ApiError("invalid_mapping", "The mapping's email is not a field id (an e-mail field is required).", 400));
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("switch", { name: "Product feedback" }));
    expect(tf.setForm).toHaveBeenCalledWith(TEAM, "fD3kP7sV", { enabled: true });
    expect(await screen.findByRole("alert")).toHaveTextContent("The CRM needs an e-mail question to make a lead. Choose one under Fields.");
  });

  it("the field mapping: suggested choices, edited, saved with the form switched on", async () => {
    tf.listForms.mockResolvedValue([form()]);
    tf.getForm.mockResolvedValue({
      ...form(),
      fields: [
        { id: "e", title: "What's your email?", type: "email" },
        { id: "n", title: "What's your name?", type: "short_text" },
        { id: "c", title: "Company", type: "short_text" },
      ],
      suggested: { email: "e", name: "n" },
    });
    tf.setForm.mockResolvedValue({ form: form({ enabled: true }), warning: null });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Fields of Contact us" }));
    expect(await screen.findByLabelText("E-mail (required)")).toHaveValue("e");
    expect(screen.getByLabelText("Name")).toHaveValue("n");
    await user.selectOptions(screen.getByLabelText("Company"), "c");
    await user.click(screen.getByRole("button", { name: "Save and switch on" }));
    await waitFor(() => expect(tf.setForm).toHaveBeenCalledWith(TEAM, "cT1cXk9a", { enabled: true, mapping: { email: "e", name: "n", company: "c" } }));
  });

  it("members see the forms but cannot switch them or edit fields", async () => {
    tf.listForms.mockResolvedValue([form({ enabled: true })]);
    renderWithClient(<TypeformConfig teamId={TEAM} role="member" />);
    expect(await screen.findByRole("switch", { name: "Contact us" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: /Fields of/ })).not.toBeInTheDocument();
  });
});
