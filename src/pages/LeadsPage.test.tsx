import { afterEach, describe, expect, it, vi, beforeEach } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route } from "react-router-dom";
import { api } from "@/test/apiMock";
import { renderTeamRoutes } from "@/test/render";
import { ADMIN_TEAM, MEMBERS, TEAM_ID, lead } from "@/test/fixtures";
import { ApiError } from "@/lib/apiError";
import { LEADS_CARDS_QUERY, LeadsPage } from "./LeadsPage";

vi.mock("@/lib/api", () => import("@/test/apiMock"));
vi.mock("@/lib/supabase", () => ({ supabase: {} }));
// the signed-in user is the team's admin (fixtures' MEMBERS): "Mine" and the new lead's owner are u-admin
vi.mock("@/hooks/useSession", () => ({ useSession: () => ({ session: { user: { id: "u-admin" } }, loading: false }) }));

const LEADS = [
  lead(),
  lead({
    id: "11111112-1111-4111-8111-111111111112",
    name: "Alan Turing",
    company: null,
    stage: "new",
    owner_id: null,
    owner_email: null,
    emails: ["alan@bletchley.example", "turing@example.com"],
    meeting_count: 0,
    last_meeting_at: null,
  }),
];

const page = (leads: typeof LEADS, next_cursor: string | null = null) => ({ leads, next_cursor });

function renderLeads(search = "") {
  return renderTeamRoutes(
    <>
      <Route path="leads" element={<LeadsPage />} />
      <Route path="leads/:leadId" element={<p>lead page</p>} />
    </>,
    { path: `/teams/${TEAM_ID}/leads${search}`, team: ADMIN_TEAM },
  );
}

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getAllByRole("button", { name: "New lead" })[0]);
  return within(await screen.findByRole("dialog", { name: "New lead" }));
}

beforeEach(() => {
  vi.clearAllMocks();
  api.listLeads.mockResolvedValue(page(LEADS));
  api.listMembers.mockResolvedValue(MEMBERS);
});

describe("LeadsPage", () => {
  it("lists the leads with stage, owner, meeting count and last meeting, each linking to its page", async () => {
    renderLeads();
    const rows = await screen.findAllByTestId("lead-row");
    expect(rows).toHaveLength(2);
    const grace = within(rows[0]);
    expect(grace.getByRole("link", { name: "Grace Hopper" })).toHaveAttribute("href", `/teams/${TEAM_ID}/leads/11111111-1111-4111-8111-111111111111`);
    expect(grace.getByText("Navy Labs")).toBeInTheDocument();
    expect(grace.getByText("Qualified")).toBeInTheDocument();
    expect(await grace.findByText("Dana Admin")).toBeInTheDocument();
    expect(grace.getByText("2")).toBeInTheDocument();
    expect(grace.getByText("grace@navy.example")).toBeInTheDocument();
    const alan = within(rows[1]);
    expect(alan.getByText("New")).toBeInTheDocument();
    expect(alan.getByText("Unassigned")).toBeInTheDocument();
    expect(alan.getByText("alan@bletchley.example +1")).toBeInTheDocument();
    expect(api.listLeads).toHaveBeenCalledWith(TEAM_ID, expect.objectContaining({ q: undefined, cursor: null }));
  });

  it("searches on the server (name, company, e-mail) once typing pauses", async () => {
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    api.listLeads.mockResolvedValue(page([LEADS[0]]));
    await user.type(screen.getByRole("searchbox", { name: "Search leads" }), "navy");
    await waitFor(() => expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ q: "navy" })));
    // Debounced: one request for the whole word, not one per key.
    expect(api.listLeads.mock.calls.filter(([, p]) => p?.q && p.q !== "navy")).toHaveLength(0);
    await waitFor(() => expect(screen.getAllByTestId("lead-row")).toHaveLength(1));

    api.listLeads.mockResolvedValue(page([]));
    await user.clear(screen.getByRole("searchbox", { name: "Search leads" }));
    await user.type(screen.getByRole("searchbox", { name: "Search leads" }), "zzz");
    expect(await screen.findByText("No leads match your search")).toBeInTheDocument();
  });

  it("validates the new lead on the client before calling the server", async () => {
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const dialog = await openDialog(user);

    await user.click(dialog.getByRole("button", { name: "Create lead" }));
    expect(dialog.getByLabelText(/Name/)).toHaveAttribute("aria-invalid", "true");
    expect(dialog.getByLabelText(/Name/)).toHaveAccessibleDescription("Name is required.");

    await user.type(dialog.getByLabelText(/Name/), "Ada Lovelace");
    await user.type(dialog.getByRole("textbox", { name: "E-mail 1" }), "not-an-email");
    await user.click(dialog.getByRole("button", { name: "Add e-mail" }));
    await user.type(dialog.getByRole("textbox", { name: "E-mail 2" }), "ada@example.com");
    await user.click(dialog.getByRole("button", { name: "Add e-mail" }));
    await user.type(dialog.getByRole("textbox", { name: "E-mail 3" }), "ADA@example.com");
    await user.click(dialog.getByRole("button", { name: "Create lead" }));

    expect(dialog.getByRole("textbox", { name: "E-mail 1" })).toHaveAccessibleDescription("Enter a valid e-mail address.");
    expect(dialog.getByRole("textbox", { name: "E-mail 2" })).toHaveAttribute("aria-invalid", "false");
    expect(dialog.getByRole("textbox", { name: "E-mail 3" })).toHaveAccessibleDescription("This e-mail is listed twice.");
    expect(api.createLead).not.toHaveBeenCalled();

    await user.click(dialog.getByRole("button", { name: "Remove e-mail 3" }));
    await user.click(dialog.getByRole("button", { name: "Remove e-mail 1" }));
    expect(dialog.getAllByRole("textbox", { name: /^E-mail/ })).toHaveLength(1);
    expect(dialog.getByRole("textbox", { name: "E-mail 1" })).toHaveValue("ada@example.com");
  });

  it("shows a 409 email_taken on the e-mail field it is about", async () => {
    api.createLead.mockRejectedValue(
      new ApiError("email_taken", "taken@example.com already belongs to another lead.", 409),
    );
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const dialog = await openDialog(user);

    await user.type(dialog.getByLabelText(/Name/), "Ada Lovelace");
    await user.type(dialog.getByRole("textbox", { name: "E-mail 1" }), "ada@example.com");
    await user.click(dialog.getByRole("button", { name: "Add e-mail" }));
    await user.type(dialog.getByRole("textbox", { name: "E-mail 2" }), "taken@example.com");
    await user.click(dialog.getByRole("button", { name: "Create lead" }));

    const taken = dialog.getByRole("textbox", { name: "E-mail 2" });
    await waitFor(() => expect(taken).toHaveAttribute("aria-invalid", "true"));
    expect(taken).toHaveAccessibleDescription("taken@example.com already belongs to another lead.");
    expect(dialog.getByRole("textbox", { name: "E-mail 1" })).toHaveAttribute("aria-invalid", "false");
    expect(screen.getByRole("dialog", { name: "New lead" })).toBeInTheDocument();
  });

  it("creates the lead with the chosen stage, owner and e-mails, then opens it", async () => {
    api.createLead.mockResolvedValue(lead({ id: "lead-new", name: "Ada Lovelace" }));
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const dialog = await openDialog(user);

    await user.type(dialog.getByLabelText(/Name/), "  Ada Lovelace ");
    await user.type(dialog.getByLabelText("Company"), "Analytical Engines");
    await user.selectOptions(dialog.getByLabelText("Stage"), "contacted");
    await waitFor(() => expect(dialog.getByLabelText("Owner")).toBeEnabled());
    await user.selectOptions(dialog.getByLabelText("Owner"), "Max Member (demo-member@example.com)");
    await user.type(dialog.getByRole("textbox", { name: "E-mail 1" }), "ada@example.com");
    await user.type(dialog.getByLabelText("First note (optional)"), "Intro via Charles");
    await user.click(dialog.getByRole("button", { name: "Create lead" }));

    await waitFor(() =>
      expect(api.createLead).toHaveBeenCalledWith(TEAM_ID, {
        name: "Ada Lovelace",
        company: "Analytical Engines",
        stage: "contacted",
        owner_id: "u-member",
        notes: "Intro via Charles",
        emails: ["ada@example.com"],
      }),
    );
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent(`/teams/${TEAM_ID}/leads/lead-new`));
  });

  it("shows other server errors in the dialog, in words for people rather than the server's", async () => {
    api.createLead.mockRejectedValue(new ApiError("invalid_request", "Invalid or missing: name.", 400));
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const dialog = await openDialog(user);
    await user.type(dialog.getByLabelText(/Name/), "Ada");
    await user.click(dialog.getByRole("button", { name: "Create lead" }));
    expect(await dialog.findByText("Couldn't create the lead")).toBeInTheDocument();
    expect(dialog.getByText(/Check what you entered and try again/)).toBeInTheDocument();
    expect(dialog.queryByText(/Invalid or missing/)).not.toBeInTheDocument();
  });

  it("shows an empty state and an error state with Retry when retrying can help", async () => {
    api.listLeads.mockRejectedValueOnce(new ApiError("database_unavailable", "connection refused", 503));
    const user = userEvent.setup();
    renderLeads();
    expect(await screen.findByText("Couldn't load leads")).toBeInTheDocument();
    expect(screen.queryByText("connection refused")).not.toBeInTheDocument();
    api.listLeads.mockResolvedValue(page([]));
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("No leads yet")).toBeInTheDocument();
  });

  it("offers no Retry for a refusal that a retry cannot fix", async () => {
    api.listLeads.mockRejectedValueOnce(new ApiError("invalid_request", "Invalid or missing: q.", 400));
    renderLeads();
    expect(await screen.findByText("Couldn't load leads")).toBeInTheDocument();
    expect(screen.queryByText(/Invalid or missing/)).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
  });

  it("caps the search box at the API's 200 characters", async () => {
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const box = screen.getByRole("searchbox", { name: /Search leads/i });
    expect(box).toHaveAttribute("maxLength", "200");
    box.focus();
    await user.paste("x".repeat(3000));
    expect((box as HTMLInputElement).value).toHaveLength(200);
  });

  it("pages with Load more: the next page is asked for by its cursor and appended", async () => {
    api.listLeads.mockResolvedValueOnce(page([LEADS[0]], "cursor-2")).mockResolvedValueOnce(page([LEADS[1]]));
    const user = userEvent.setup();
    renderLeads();
    expect(await screen.findAllByTestId("lead-row")).toHaveLength(1);
    expect(screen.getByText(/1 lead shown/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("lead-row")).toHaveLength(2));
    expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ cursor: "cursor-2" }));
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    // the button is gone: the focus goes to the first lead it loaded, not to <body>
    await waitFor(() => expect(screen.getAllByTestId("lead-row")[1].querySelector("a[href]")).toHaveFocus());
  });

  it("reads search, filters and order from the URL (a reload or a shared link shows the same list)", async () => {
    renderLeads("?q=navy&stage=won&owner=none&sort=stage&dir=desc");
    await screen.findAllByTestId("lead-row");
    expect(api.listLeads).toHaveBeenCalledWith(
      TEAM_ID,
      expect.objectContaining({ q: "navy", stage: "won", owner: "none", sort: "stage", dir: "desc", cursor: null }),
    );
    // no request went out without the URL's view first
    expect(api.listLeads.mock.calls.every(([, p]) => p?.stage === "won" && p?.sort === "stage")).toBe(true);
    expect(screen.getByRole("searchbox", { name: "Search leads" })).toHaveValue("navy");
    expect(screen.getByRole("combobox", { name: "Stage" })).toHaveValue("won");
    expect(screen.getByRole("combobox", { name: "Owner" })).toHaveValue("none");
    expect(screen.getByRole("columnheader", { name: /Stage/ })).toHaveAttribute("aria-sort", "descending");
    expect(screen.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "none");
  });

  it("drops unknown values in a hand-edited URL instead of sending the API a request it refuses", async () => {
    renderLeads("?stage=bogus&owner=someone&sort=company&dir=up");
    await screen.findAllByTestId("lead-row");
    expect(api.listLeads).toHaveBeenLastCalledWith(
      TEAM_ID,
      expect.objectContaining({ stage: undefined, owner: undefined, sort: undefined, dir: undefined }),
    );
    expect(screen.getByRole("combobox", { name: "Stage" })).toHaveValue("");
  });

  it("sorts by a column header: its order, then the reverse, then back to newest first, kept in the URL", async () => {
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const nameHeader = screen.getByRole("columnheader", { name: /Name/ });
    const location = screen.getByTestId("location");

    await user.click(within(nameHeader).getByRole("button", { name: "Name" }));
    expect(nameHeader).toHaveAttribute("aria-sort", "ascending");
    expect(location).toHaveTextContent("sort=name&dir=asc");
    await waitFor(() =>
      expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ sort: "name", dir: "asc", cursor: null })),
    );

    await user.click(within(nameHeader).getByRole("button", { name: "Name" }));
    expect(nameHeader).toHaveAttribute("aria-sort", "descending");
    await waitFor(() =>
      expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ sort: "name", dir: "desc" })),
    );

    await user.click(within(nameHeader).getByRole("button", { name: "Name" }));
    expect(nameHeader).toHaveAttribute("aria-sort", "none");
    expect(location).not.toHaveTextContent("sort=");
    await waitFor(() =>
      expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ sort: undefined, dir: undefined })),
    );

    // last meeting starts with the most recent; another column's sort replaces the first
    const lastMeeting = screen.getByRole("columnheader", { name: /Last meeting/ });
    await user.click(within(lastMeeting).getByRole("button"));
    expect(lastMeeting).toHaveAttribute("aria-sort", "descending");
    await user.click(within(screen.getByRole("columnheader", { name: /Owner/ })).getByRole("button"));
    expect(lastMeeting).toHaveAttribute("aria-sort", "none");
    expect(screen.getByRole("columnheader", { name: /Owner/ })).toHaveAttribute("aria-sort", "ascending");
    expect(location).toHaveTextContent("sort=owner&dir=asc");
  });

  it("filters by stage and by owner (Mine, Unassigned, a member), with the search, all kept in the URL", async () => {
    const OLGA = "33333333-3333-4333-8333-333333333333"; // a real user id: the URL only keeps an owner that is a UUID
    api.listMembers.mockResolvedValue([...MEMBERS, { user_id: OLGA, email: "olga@example.com", full_name: "Olga Owner", role: "member" }]);
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const location = screen.getByTestId("location");
    await user.selectOptions(screen.getByRole("combobox", { name: "Stage" }), "won");
    await waitFor(() =>
      expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ stage: "won", cursor: null })),
    );
    expect(location).toHaveTextContent("stage=won");

    const owner = screen.getByRole("combobox", { name: "Owner" });
    await waitFor(() => expect(within(owner).getByRole("option", { name: "Max Member" })).toBeInTheDocument());
    await user.selectOptions(owner, "Mine");
    expect(location).toHaveTextContent("owner=me");
    await waitFor(() =>
      expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ stage: "won", owner: "u-admin" })),
    );
    await user.selectOptions(owner, "Unassigned");
    await waitFor(() => expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ owner: "none" })));
    await user.selectOptions(owner, "Olga Owner");
    await waitFor(() => expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ owner: OLGA })));
    expect(location).toHaveTextContent(`owner=${OLGA}`);

    await user.type(screen.getByRole("searchbox", { name: "Search leads" }), "navy");
    await waitFor(() => expect(location).toHaveTextContent("q=navy"));
    expect(location).toHaveTextContent("stage=won");

    api.listLeads.mockResolvedValue(page([]));
    await user.selectOptions(owner, "All owners");
    await user.click(await screen.findByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(location).toHaveTextContent(/\/leads$/));
    expect(screen.getByRole("searchbox", { name: "Search leads" })).toHaveValue("");
  });

  it("says how many leads are shown, honestly: 'more to load' until the last page", async () => {
    api.listLeads.mockResolvedValueOnce(page([LEADS[0]], "cursor-2")).mockResolvedValueOnce(page([LEADS[1]]));
    const user = userEvent.setup();
    renderLeads();
    expect(await screen.findByTestId("leads-count")).toHaveTextContent("1 lead shown, more to load");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getByTestId("leads-count")).toHaveTextContent(/^2 leads$/));
  });

  it("a new lead's owner is the person creating it; they can pick another or clear it", async () => {
    api.createLead.mockResolvedValue(lead({ id: "lead-new", name: "Ada Lovelace" }));
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const dialog = await openDialog(user);
    const owner = dialog.getByLabelText("Owner");
    await waitFor(() => expect(owner).toBeEnabled());
    expect(owner).toHaveValue("u-admin");
    expect(within(owner).getByRole("option", { selected: true })).toHaveTextContent("Dana Admin");
    await user.type(dialog.getByLabelText(/Name/), "Ada Lovelace");
    await user.click(dialog.getByRole("button", { name: "Create lead" }));
    await waitFor(() =>
      expect(api.createLead).toHaveBeenCalledWith(TEAM_ID, expect.objectContaining({ name: "Ada Lovelace", owner_id: "u-admin" })),
    );
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/leads/lead-new"));
  });

  it("creates an unassigned lead when the creator clears the owner", async () => {
    api.createLead.mockResolvedValue(lead({ id: "lead-new", name: "Ada Lovelace" }));
    const user = userEvent.setup();
    renderLeads();
    await screen.findAllByTestId("lead-row");
    const dialog = await openDialog(user);
    await waitFor(() => expect(dialog.getByLabelText("Owner")).toBeEnabled());
    await user.selectOptions(dialog.getByLabelText("Owner"), "Unassigned");
    await user.type(dialog.getByLabelText(/Name/), "Ada Lovelace");
    await user.click(dialog.getByRole("button", { name: "Create lead" }));
    await waitFor(() => expect(api.createLead).toHaveBeenCalled());
    expect(api.createLead.mock.calls[0][1]).not.toHaveProperty("owner_id");
  });

  describe("on a phone", () => {
    beforeEach(() => {
      window.matchMedia = vi.fn((query: string) => ({
        matches: query === LEADS_CARDS_QUERY,
        media: query,
        onchange: null,
        addEventListener: () => {},
        removeEventListener: () => {},
        addListener: () => {},
        removeListener: () => {},
        dispatchEvent: () => false,
      })) as unknown as typeof window.matchMedia;
    });
    afterEach(() => {
      delete (window as { matchMedia?: unknown }).matchMedia;
    });

    it("lists the leads as cards, sorted by a menu instead of the headers", async () => {
      const user = userEvent.setup();
      renderLeads();
      const cards = await screen.findAllByTestId("lead-row");
      expect(cards[0].tagName).toBe("LI");
      expect(screen.queryByRole("table")).not.toBeInTheDocument();
      const grace = within(cards[0]);
      expect(grace.getByRole("link", { name: "Grace Hopper" })).toBeInTheDocument();
      expect(grace.getByText("Qualified")).toBeInTheDocument();
      expect(await grace.findByText("Dana Admin")).toBeInTheDocument();
      expect(within(cards[1]).getByText("No meetings")).toBeInTheDocument();

      const sort = screen.getByRole("combobox", { name: "Sort" });
      expect(sort).toHaveValue("created:desc");
      await user.selectOptions(sort, "Owner Z–A");
      expect(screen.getByTestId("location")).toHaveTextContent("sort=owner&dir=desc");
      await waitFor(() =>
        expect(api.listLeads).toHaveBeenLastCalledWith(TEAM_ID, expect.objectContaining({ sort: "owner", dir: "desc" })),
      );
    });
  });
});
