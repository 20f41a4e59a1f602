import { afterEach, describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import userEvent from "@testing-library/user-event";
import { api } from "@/test/apiMock";
import { renderWithClient } from "@/test/render";
import { ApiError } from "@/lib/apiError";
import type { TypeformFormView } from "@/lib/typeformApi";
import TypeformConfig, { FORMS_REFRESH_MS } from "./TypeformConfig";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
const tf = vi.hoisted(() => ({ listForms: vi.fn(), getForm: vi.fn(), setForm: vi.fn() }));
vi.mock("@/lib/typeformApi", () => ({ typeformApi: tf }));
const toast = vi.hoisted(() => Object.assign(vi.fn(), { error: vi.fn(), success: vi.fn(), warning: vi.fn() }));
vi.mock("@/lib/toast", () => ({ toast }));

const TEAM = "team-1";
const form = (o: Partial<TypeformFormView> = {}): TypeformFormView => ({
  form_id: "cT1cXk9a",
  title: "Contact us",
  enabled: false,
  mapping: null,
  last_refusal: null,
  backfill: { status: "idle", imported: 0, error: null },
  webhook_left: false,
  webhook_refused_at: null,
  ...o,
});
const listed = (forms: TypeformFormView[], unavailable: { code: string; message: string } | null = null) => ({ forms, unavailable });
const SWITCH = (title: string) => ({ name: `Create leads from responses for ${title}` });
const FIELDS = [
  { id: "e", title: "What's your email?", type: "email" },
  { id: "n", title: "What's your name?", type: "short_text" },
  { id: "c", title: "Company", type: "short_text" },
];
/** a promise the test settles itself: the request "runs" until then */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  vi.clearAllMocks();
  api.listIntegrations.mockResolvedValue([
    { provider: "typeform", status: "connected", account_name: "Sandy Sandbox", connected_at: "2026-12-01T10:00:00Z", scopes: ["offline"] },
  ]);
});

describe("Typeform dialog", () => {
  it("lists the forms with a labelled switch each, the import's progress and the last refusal with its respondent", async () => {
    tf.listForms.mockResolvedValue(listed([
      form({
        enabled: true,
        mapping: { email: "e" },
        backfill: { status: "done", imported: 3, error: null },
        last_refusal: { reason: "The response has no e-mail address, so no lead could be made from it.", at: null, respondent: "Anon Person" },
      }),
      form({ form_id: "fD3kP7sV", title: "Product feedback", last_refusal: { reason: "The response has no e-mail address.", at: null, respondent: null } }),
    ]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const list = await screen.findByRole("list", { name: "Typeform forms" });
    const [contact, feedback] = within(list).getAllByRole("listitem");
    expect(within(contact).getByRole("switch", SWITCH("Contact us"))).toBeChecked();
    expect(within(contact).getByText("Create leads from responses")).toBeVisible();
    expect(contact).toHaveTextContent("3 past responses imported");
    expect(contact).toHaveTextContent("Last refused: Anon Person's response has no e-mail address, so no lead could be made from it.");
    expect(within(feedback).getByRole("switch", SWITCH("Product feedback"))).not.toBeChecked();
    expect(feedback).toHaveTextContent("Last refused: The response has no e-mail address.");
  });

  it("an import that found nothing new (after a reconnect) says so, not \"0 past responses imported\"", async () => {
    tf.listForms.mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" }, backfill: { status: "done", imported: 0, error: null } })]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const row = (await screen.findAllByRole("listitem"))[0];
    expect(row).toHaveTextContent("No new past responses");
    expect(row).not.toHaveTextContent("0 past responses imported");
  });

  it("a form's first switch-on opens its guessed mapping with what will happen; Switch on sends it; focus goes to the mapping and back", async () => {
    tf.listForms.mockResolvedValue(listed([form()]));
    tf.getForm.mockResolvedValue({ ...form(), fields: FIELDS, suggested: { email: "e", name: "n" }, past_responses: 3 });
    tf.setForm.mockResolvedValue({ form: form({ enabled: true }), warning: null });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const toggle = await screen.findByRole("switch", SWITCH("Contact us"));
    toggle.focus();
    await user.keyboard(" ");
    expect(tf.setForm).not.toHaveBeenCalled();
    const email = await screen.findByLabelText("E-mail (required)");
    await waitFor(() => expect(email).toHaveFocus());
    expect(email).toHaveValue("e");
    expect(screen.getByLabelText("Name")).toHaveValue("n");
    expect(screen.getByRole("form", { name: "Fields of Contact us" })).toHaveTextContent(
      "Each new response becomes a lead (or is added to the lead with that e-mail). The form's 3 past responses will be imported now.",
    );
    await user.selectOptions(screen.getByLabelText("Company"), "c");
    await user.click(screen.getByRole("button", { name: "Switch on" }));
    await waitFor(() => expect(tf.setForm).toHaveBeenCalledWith(TEAM, "cT1cXk9a", { enabled: true, mapping: { email: "e", name: "n", company: "c" } }));
    await waitFor(() => expect(screen.queryByLabelText("E-mail (required)")).not.toBeInTheDocument());
    expect(screen.getByRole("switch", SWITCH("Contact us"))).toHaveFocus();
    expect(toast.success).toHaveBeenCalledWith("Contact us is on: each new response becomes a lead");
  });

  it("cancelling the first switch-on sends nothing and gives focus back to the switch", async () => {
    tf.listForms.mockResolvedValue(listed([form()]));
    tf.getForm.mockResolvedValue({ ...form(), fields: FIELDS, suggested: { email: "e" }, past_responses: 0 });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("switch", SWITCH("Contact us")));
    expect(await screen.findByText(/The form has no past responses yet\./)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(tf.setForm).not.toHaveBeenCalled();
    expect(screen.getByRole("switch", SWITCH("Contact us"))).toHaveFocus();
    expect(screen.getByRole("switch", SWITCH("Contact us"))).not.toBeChecked();
  });

  it("a form set up before switches at once with its mapping; while Typeform works the switch stays focusable, busy, and says so", async () => {
    tf.listForms.mockResolvedValue(listed([form({ mapping: { email: "e", name: "n" } })]));
    const answer = deferred<{ form: TypeformFormView; warning: null }>();
    tf.setForm.mockReturnValue(answer.promise);
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const toggle = await screen.findByRole("switch", SWITCH("Contact us"));
    await user.click(toggle);
    expect(tf.setForm).toHaveBeenCalledWith(TEAM, "cT1cXk9a", { enabled: true, mapping: { email: "e", name: "n" } });
    expect(screen.queryByLabelText("E-mail (required)")).not.toBeInTheDocument();
    expect(await screen.findByRole("status")).toHaveTextContent("Waiting for Typeform…");
    expect(toggle).toHaveFocus();
    expect(toggle).not.toBeDisabled();
    expect(toggle).toHaveAttribute("aria-busy", "true");
    expect(toggle).toHaveAttribute("aria-disabled", "true");
    await user.click(toggle); // ignored while the request runs
    expect(tf.setForm).toHaveBeenCalledTimes(1);
    // it keeps its place in the tab order: Tab from the Fields button reaches it
    screen.getByRole("button", { name: "Fields of Contact us" }).focus();
    await user.tab();
    expect(toggle).toHaveFocus();
    answer.resolve({ form: form({ enabled: true }), warning: null });
    await waitFor(() => expect(screen.queryByText("Waiting for Typeform…")).not.toBeInTheDocument());
    expect(toggle).toHaveFocus();
  });

  it("switching off is direct and its toast says what off means", async () => {
    tf.listForms.mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" } })]));
    tf.setForm.mockResolvedValue({ form: form(), warning: null });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("switch", SWITCH("Contact us")));
    expect(tf.setForm).toHaveBeenCalledWith(TEAM, "cT1cXk9a", { enabled: false });
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith("Contact us is off: new responses no longer become leads"));
  });

  it("a refused switch-on says why in Typeform's words, a timeout included", async () => {
    tf.listForms.mockResolvedValue(listed([form({ mapping: { email: "e" } }), form({ form_id: "fD3kP7sV", title: "Product feedback", mapping: { email: "x" } })]));
    tf.setForm
      .mockRejectedValueOnce(new ApiError("invalid_mapping", "The mapping's email is not a field id.", 400))
      .mockRejectedValueOnce(new ApiError("provider_timeout", "Typeform didn't answer in time.", 504));
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const [contact, feedback] = await screen.findAllByRole("listitem");
    await user.click(within(contact).getByRole("switch"));
    expect(await within(contact).findByRole("alert")).toHaveTextContent("The CRM needs an e-mail question to make a lead. Choose one under Fields.");
    await user.click(within(feedback).getByRole("switch"));
    expect(await within(feedback).findByRole("alert")).toHaveTextContent("Typeform didn't answer in time. Try again in a moment.");
    expect(feedback).not.toHaveTextContent("Something went wrong");
  });

  it("Typeform unreachable: the forms set up here stay listed with a notice, and can be switched off", async () => {
    tf.listForms.mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" } })], { code: "provider_timeout", message: "Typeform didn't answer in time." }));
    tf.setForm.mockResolvedValue({ form: form(), warning: null });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Typeform didn't answer in time. Try again in a moment. Below are only the forms already set up here; you can still switch them off.",
    );
    await user.click(screen.getByRole("switch", SWITCH("Contact us")));
    expect(tf.setForm).toHaveBeenCalledWith(TEAM, "cT1cXk9a", { enabled: false });
  });

  it("a webhook left at Typeform by a switch-off is said on the form's row", async () => {
    tf.listForms.mockResolvedValue(listed([form({ mapping: { email: "e" }, webhook_left: true })]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const row = (await screen.findAllByRole("listitem"))[0];
    expect(row).toHaveTextContent("Typeform still has this form's webhook (it couldn't be removed).");
  });

  it("a form asking no e-mail question says why Switch on is greyed and promises no import", async () => {
    const feedback = form({ form_id: "fD3kP7sV", title: "Product feedback" });
    tf.listForms.mockResolvedValue(listed([feedback]));
    tf.getForm.mockResolvedValue({
      ...feedback,
      fields: [
        { id: "r", title: "How likely are you to recommend us?", type: "opinion_scale" },
        { id: "a", title: "Anything else?", type: "long_text" },
      ],
      suggested: {},
      past_responses: 1,
      known_responses: 0,
    });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("switch", SWITCH("Product feedback")));
    const mapping = await screen.findByRole("form", { name: "Fields of Product feedback" });
    const button = within(mapping).getByRole("button", { name: "Switch on" });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      "This form asks no e-mail question; a lead needs one. Add one in Typeform (an E-mail or Short text question), then reopen.",
    );
    expect(mapping).not.toHaveTextContent(/will be imported|past response/);
  });

  it("an e-mail question not chosen yet: the greyed Switch on says what to choose", async () => {
    tf.listForms.mockResolvedValue(listed([form()]));
    tf.getForm.mockResolvedValue({ ...form(), fields: FIELDS, suggested: {}, past_responses: 2, known_responses: 0 });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("switch", SWITCH("Contact us")));
    const mapping = await screen.findByRole("form", { name: "Fields of Contact us" });
    expect(within(mapping).getByRole("button", { name: "Switch on" })).toHaveAccessibleDescription(
      "Choose the question that asks for the e-mail address: a lead needs one.",
    );
    await user.selectOptions(screen.getByLabelText("E-mail (required)"), "e");
    expect(within(mapping).getByRole("button", { name: "Switch on" })).toBeEnabled();
    expect(within(mapping).getByRole("button", { name: "Switch on" })).not.toHaveAccessibleDescription();
  });

  it("a row's name wraps, never cut off, and its notes take the row's full width (not the name's column beside the switch)", async () => {
    const long = "Webinar sign-up for the autumn product launch (EMEA)";
    tf.listForms.mockResolvedValue(listed([form({ title: long, mapping: { email: "e" }, webhook_left: true, webhook_refused_at: null })]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="member" />);
    const name = await screen.findByText(long);
    expect(name).not.toHaveClass("truncate");
    const row = screen.getAllByRole("listitem")[0];
    const note = within(row).getByText(/webhook/i).closest("p")!;
    // the note is a line of the row itself, not inside the block that holds the name and the switch
    expect(note.parentElement).toBe(row);
    expect(note.parentElement!.contains(screen.getByRole("switch", SWITCH(long)))).toBe(true);
    expect(name.parentElement!.contains(note)).toBe(false);
  });

  it("members see the forms but cannot switch them or edit fields", async () => {
    tf.listForms.mockResolvedValue(listed([form({ enabled: true })]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="member" />);
    expect(await screen.findByRole("switch", SWITCH("Contact us"))).toBeDisabled();
    expect(screen.queryByRole("button", { name: /Fields of/ })).not.toBeInTheDocument();
  });

  it("a left webhook that Typeform delivered to and was refused says so with when, instead of \"it stops after its next response\"", async () => {
    tf.listForms.mockResolvedValue(listed([form({ mapping: { email: "e" }, webhook_left: true, webhook_refused_at: "2026-12-01T01:05:00Z" })]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const row = (await screen.findAllByRole("listitem"))[0];
    expect(row).toHaveTextContent(/Typeform's webhook for this form was refused here on .+; Typeform disables a webhook once it is refused, so no more responses come from it\./);
    expect(row).not.toHaveTextContent("It stops after its next response is refused here");
  });

  it("the switch-on panel promises only the past responses not yet here (row 13: all already imported or refused)", async () => {
    tf.listForms.mockResolvedValue(listed([form(), form({ form_id: "fD3kP7sV", title: "Product feedback" })]));
    tf.getForm
      .mockResolvedValueOnce({ ...form(), fields: FIELDS, suggested: { email: "e" }, past_responses: 5, known_responses: 5 })
      .mockResolvedValueOnce({ ...form({ form_id: "fD3kP7sV", title: "Product feedback" }), fields: FIELDS, suggested: { email: "e" }, past_responses: 5, known_responses: 2 });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("switch", SWITCH("Contact us")));
    const contact = await screen.findByRole("form", { name: "Fields of Contact us" });
    expect(contact).toHaveTextContent("The form's 5 past responses are already here (imported or refused before): none will be imported again.");
    expect(contact).not.toHaveTextContent("will be imported now");
    await user.click(screen.getByRole("switch", SWITCH("Product feedback")));
    expect(await screen.findByRole("form", { name: "Fields of Product feedback" })).toHaveTextContent(
      "3 past responses not yet here will be imported now (the other 2 already are).",
    );
  });

  it("Typeform's disconnect says access stays granted at Typeform and where to remove the app, before and after", async () => {
    tf.listForms.mockResolvedValue(listed([]));
    api.disconnectIntegration.mockResolvedValue({ warning: null, revocationMessage: null });
    const user = userEvent.setup();
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Disconnect" }));
    const sentence = "Typeform has no way for us to revoke access: to end it, remove the app in your Typeform account's settings.";
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog).toHaveTextContent("New Typeform responses will stop becoming leads. Leads already made stay.");
    expect(dialog).toHaveTextContent(sentence);
    api.listIntegrations.mockResolvedValue([]);
    await user.click(within(dialog).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByText(`Typeform was disconnected here. ${sentence}`)).toBeInTheDocument();
    expect(toast.warning).toHaveBeenCalledWith(`Typeform disconnected here. ${sentence}`);
    expect(toast.success).not.toHaveBeenCalled();
  });
});

describe("Typeform dialog refresh", () => {
  beforeEach(() => {
    // fake timers that still let real time pass (testing-library's waits poll on it)
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the open dialog re-reads its forms: a refusal made meanwhile appears without reopening", async () => {
    const refusal = { reason: "The response has no e-mail address, so no lead could be made from it.", at: null, respondent: "Anon Person" };
    tf.listForms
      .mockResolvedValueOnce(listed([form({ enabled: true, mapping: { email: "e" } })]))
      .mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" }, last_refusal: refusal })]));
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    const row = (await screen.findAllByRole("listitem"))[0];
    expect(row).not.toHaveTextContent("Last refused");
    await vi.advanceTimersByTimeAsync(FORMS_REFRESH_MS);
    await waitFor(() => expect(screen.getAllByRole("listitem")[0]).toHaveTextContent("Last refused: Anon Person's response has no e-mail address"));
  });

  it("the list holds still while a mapping is open, and reads again once it is closed", async () => {
    tf.listForms.mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" } })]));
    tf.getForm.mockResolvedValue({ ...form({ enabled: true, mapping: { email: "e" } }), fields: FIELDS, suggested: { email: "e" }, past_responses: null, known_responses: null });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithClient(<TypeformConfig teamId={TEAM} role="admin" />);
    await user.click(await screen.findByRole("button", { name: "Fields of Contact us" }));
    await screen.findByLabelText("E-mail (required)");
    const calls = tf.listForms.mock.calls.length;
    await vi.advanceTimersByTimeAsync(3 * FORMS_REFRESH_MS);
    expect(tf.listForms).toHaveBeenCalledTimes(calls);
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await vi.advanceTimersByTimeAsync(FORMS_REFRESH_MS);
    await waitFor(() => expect(tf.listForms.mock.calls.length).toBeGreaterThan(calls));
  });
});

describe("Typeform dialog reopened", () => {
  it("reopening reads the forms again (within the app's staleTime): Typeform's earlier outage notice does not stay until Retry", async () => {
    // the app's own defaults (main.tsx): a list read 30 s ago counts as fresh
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
    const open = () => render(<QueryClientProvider client={client}><TypeformConfig teamId={TEAM} role="admin" /></QueryClientProvider>);
    tf.listForms.mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" } })], { code: "provider_error", message: "Typeform did not answer as expected." }));
    const first = open();
    expect(await screen.findByRole("alert")).toHaveTextContent("Typeform did not answer as expected.");
    first.unmount();

    tf.listForms.mockResolvedValue(listed([form({ enabled: true, mapping: { email: "e" } }), form({ form_id: "fD3kP7sV", title: "Product feedback" })]));
    open();
    expect(await screen.findByRole("switch", SWITCH("Product feedback"))).toBeInTheDocument();
    expect(screen.queryByText(/Typeform did not answer as expected/)).not.toBeInTheDocument();
  });

  it("reopening after a failed load tries again", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
    const open = () => render(<QueryClientProvider client={client}><TypeformConfig teamId={TEAM} role="admin" /></QueryClientProvider>);
    tf.listForms.mockRejectedValue(new ApiError("provider_error", "Typeform did not answer as expected.", 502));
    const first = open();
    expect(await screen.findByRole("alert")).toHaveTextContent("Couldn't load your forms: Typeform did not answer as expected.");
    first.unmount();
    tf.listForms.mockResolvedValue(listed([form()]));
    open();
    expect(await screen.findByRole("switch", SWITCH("Contact us"))).toBeInTheDocument();
  });
});
