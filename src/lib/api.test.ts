import { describe, expect, it, vi, beforeEach } from "vitest";
import { FunctionsFetchError, FunctionsHttpError } from "@supabase/supabase-js";

const invoke = vi.fn();
vi.mock("./supabase", () => ({ supabase: { functions: { invoke: (...a: unknown[]) => invoke(...a) } } }));

import { api, ApiError, toApiError } from "./api";

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

beforeEach(() => invoke.mockReset());

describe("api", () => {
  it("reads the Fathom connection's newer fields, tolerating servers that do not send them", async () => {
    const ok = (data: unknown) => invoke.mockResolvedValueOnce({ data, error: null });
    ok({ sync: { status: "running" }, inbox: { pending: "2", failed: 3, last_error: "invalid meeting", last_failed_at: null } });
    expect(await api.getMeetingSync("t", "fathom")).toEqual({
      sync: { status: "running" },
      inbox: { pending: 2, failed: 3, last_error: "invalid meeting", last_error_text: null, last_failed_at: null },
    });
    ok({ sync: null, inbox: "nope" });
    expect(await api.getMeetingSync("t", "fathom")).toEqual({ sync: null, inbox: null });

    // 204 answers nothing; 200 carries the cleanup warning
    ok("");
    expect(await api.disconnectIntegration("t", "fathom")).toEqual({ warning: null, revocationMessage: null });
    ok({ warning: { code: "webhook_cleanup_failed", message: "Fathom's webhook could not be removed." } });
    expect(await api.disconnectIntegration("t", "fathom")).toEqual({
      warning: { code: "webhook_cleanup_failed", message: "Fathom's webhook could not be removed.", at: null },
      revocationMessage: null,
    });
    // 200 with an unconfirmed revocation: the server's sentence
    ok({ warning: null, revoked: false, revocation_message: "Disconnected here, but Zoom didn't confirm the revocation: x." });
    expect(await api.disconnectIntegration("t", "zoom")).toEqual({
      warning: null,
      revocationMessage: "Disconnected here, but Zoom didn't confirm the revocation: x.",
    });
    ok({ warning: null, revoked: true, revocation_message: "ignored" });
    expect((await api.disconnectIntegration("t", "zoom")).revocationMessage).toBeNull();

    ok({
      integrations: [
        { provider: "fathom", status: "connected", webhook_triggers: ["my_recordings", 4, null], warning: { message: {} } },
        { provider: "fathom", status: "connected" },
      ],
    });
    const [a, b] = await api.listIntegrations("t");
    expect(a).toMatchObject({ webhook_triggers: ["my_recordings", "4"], warning: null });
    expect(b).toMatchObject({ webhook_triggers: null, warning: null });
  });

  it("turns a FunctionsHttpError into the envelope's code, a sentence for people, and the server's detail", async () => {
    const err = await toApiError(
      new FunctionsHttpError(jsonResponse(403, { error: { code: "not_team_admin", message: "Admins only." } })),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      code: "not_team_admin",
      message: "Only team owners and admins can do this.",
      detail: "Admins only.",
      status: 403,
    });
  });

  it("never passes a developer's message on to people", async () => {
    const q = await toApiError(
      new FunctionsHttpError(jsonResponse(400, { error: { code: "invalid_request", message: "Invalid or missing: q." } })),
    );
    expect(q.message).not.toMatch(/Invalid or missing|\bq\b/);
    const id = await toApiError(
      new FunctionsHttpError(jsonResponse(400, { error: { code: "invalid_request", message: "leadId must be a UUID." } })),
    );
    expect(id.message).not.toMatch(/leadId|UUID/);
    // a code the app does not know yet still gets a sentence chosen by its status
    const odd = await toApiError(new FunctionsHttpError(jsonResponse(422, { error: { code: "zzz", message: "zod: x" } })));
    expect(odd.message).not.toMatch(/zod/);
    // ...while a message written for people (it names the e-mail that is taken) is kept
    const taken = await toApiError(
      new FunctionsHttpError(
        jsonResponse(409, { error: { code: "email_taken", message: "a@x.io already belongs to another lead of this team." } }),
      ),
    );
    expect(taken.message).toBe("a@x.io already belongs to another lead of this team.");
  });

  it("caps the search text at the API's limit, never splitting a character", async () => {
    invoke.mockResolvedValue({ data: { leads: [], meetings: [] }, error: null });
    await api.listLeads("t", { q: "x".repeat(3000) });
    expect(new URL(`http://h/${invoke.mock.lastCall?.[0]}`).searchParams.get("q")).toBe("x".repeat(200));
    await api.listMeetings("t", { q: `${"y".repeat(199)}😀tail` });
    expect(new URL(`http://h/${invoke.mock.lastCall?.[0]}`).searchParams.get("q")).toBe("y".repeat(199));
  });

  it("survives a non-JSON error body and a network failure", async () => {
    const a = await toApiError(new FunctionsHttpError(new Response("oops", { status: 502 })));
    expect(a).toMatchObject({ code: "http_502", status: 502 });
    const b = await toApiError(new FunctionsFetchError(new TypeError("fetch failed")));
    expect(b.code).toBe("network_error");
  });

  it("calls the functions with the documented routes", async () => {
    invoke.mockResolvedValueOnce({ data: { teams: [{ id: "t", name: "T", role: "admin" }] }, error: null });
    expect(await api.listTeams()).toEqual([{ id: "t", name: "T", role: "admin" }]);
    expect(invoke).toHaveBeenLastCalledWith("api/teams", { method: "GET" });

    invoke.mockResolvedValueOnce({ data: { integrations: [] }, error: null });
    await api.listIntegrations("a b");
    expect(invoke).toHaveBeenLastCalledWith("api/teams/a%20b/integrations", { method: "GET" });

    invoke.mockResolvedValueOnce({ data: "", error: null });
    await api.disconnectIntegration("t", "fathom");
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/integrations/fathom", { method: "DELETE" });

    invoke.mockResolvedValueOnce({ data: { authUrl: "https://x/authorize", confirmSecret: "s" }, error: null });
    expect(await api.startOAuth("fathom", { teamId: "t", redirectUri: "http://localhost/fathom-callback.html" })).toEqual({
      authUrl: "https://x/authorize",
      confirmSecret: "s",
    });
    expect(invoke).toHaveBeenLastCalledWith("fathom-oauth-start", {
      method: "POST",
      body: { teamId: "t", redirectUri: "http://localhost/fathom-callback.html" },
    });

    invoke.mockResolvedValueOnce({ data: { status: "connected", provider: "fathom", teamId: "t" }, error: null });
    await api.confirmOAuth({ pendingId: "p", confirmSecret: "s" });
    expect(invoke).toHaveBeenLastCalledWith("oauth-confirm", {
      method: "POST",
      body: { pendingId: "p", confirmSecret: "s" },
    });
  });

  it("calls the CRM routes of the contract, with query strings for filters", async () => {
    const ok = (data: unknown) => invoke.mockResolvedValueOnce({ data, error: null });

    ok({ members: [] });
    await api.listMembers("t");
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/members", { method: "GET" });

    ok({ settings: { create_leads_from_unknown_attendees: true } });
    expect(await api.getTeamSettings("t")).toEqual({ create_leads_from_unknown_attendees: true });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/settings", { method: "GET" });

    ok({ settings: { create_leads_from_unknown_attendees: false } });
    await api.updateTeamSettings("t", { create_leads_from_unknown_attendees: false });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/settings", {
      method: "PATCH",
      body: { create_leads_from_unknown_attendees: false },
    });

    ok({ leads: [{ id: "l" }], next_cursor: "c2" });
    expect(await api.listLeads("t", { q: " ada & co " })).toEqual({ leads: [{ id: "l" }], next_cursor: "c2" });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/leads?q=ada+%26+co", { method: "GET" });
    ok({ leads: [] });
    expect(await api.listLeads("t", { q: "" })).toEqual({ leads: [], next_cursor: null });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/leads", { method: "GET" });
    ok({ leads: [], next_cursor: null });
    await api.listLeads("t", { stage: "won", owner: "none", sort: "name", cursor: "c2", limit: 200, emails: ["a@x.io", "b@x.io"] });
    expect(invoke).toHaveBeenLastCalledWith(
      "api/teams/t/leads?stage=won&owner=none&sort=name&email=a%40x.io&email=b%40x.io&limit=200&cursor=c2",
      { method: "GET" },
    );

    ok({ lead: { id: "l" } });
    await api.createLead("t", { name: "Ada", emails: ["a@x.io"] });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/leads", { method: "POST", body: { name: "Ada", emails: ["a@x.io"] } });

    ok({ lead: { id: "l" }, meetings: [] });
    expect(await api.getLead("t", "l")).toEqual({ lead: { id: "l" }, meetings: [] });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/leads/l", { method: "GET" });

    ok({ lead: { id: "l" } });
    await api.updateLead("t", "l", { stage: "won" });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/leads/l", { method: "PATCH", body: { stage: "won" } });

    ok("");
    await api.deleteLead("t", "l");
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/leads/l", { method: "DELETE" });

    ok({ meetings: [], next_cursor: "c2" });
    expect(await api.listMeetings("t", { q: "qbr", leadId: "l", cursor: "c1" })).toEqual({ meetings: [], next_cursor: "c2" });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/meetings?q=qbr&leadId=l&cursor=c1", { method: "GET" });
    ok({ meetings: [] });
    expect(await api.listMeetings("t")).toEqual({ meetings: [], next_cursor: null });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/meetings", { method: "GET" });

    ok({ meeting: { id: "m" } });
    expect(await api.getMeeting("t", "m")).toMatchObject({ id: "m", invitees: [], leads: [], transcript: null });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/meetings/m", { method: "GET" });

    ok({ sync: null });
    expect(await api.getMeetingSync("t", "fathom")).toEqual({ sync: null, inbox: null });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/integrations/fathom/sync", { method: "GET" });

    ok({ sync: { status: "running" } });
    expect(await api.startMeetingSync("t", "fathom")).toEqual({ status: "running" });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/integrations/fathom/sync", { method: "POST" });
    ok({ sync: { status: "running" } });
    await api.startMeetingSync("t", "fathom", { full: true });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/integrations/fathom/sync", { method: "POST", body: { full: true } });
    ok({ sync: null });
    await api.getMeetingSync("t", "zoom");
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/integrations/zoom/sync", { method: "GET" });
  });

  it("rejects with the envelope when a function answers with an error", async () => {
    invoke.mockResolvedValueOnce({
      data: null,
      error: new FunctionsHttpError(jsonResponse(404, { error: { code: "team_not_found", message: "No such team." } })),
    });
    await expect(api.listIntegrations("t")).rejects.toMatchObject({
      code: "team_not_found",
      message: "This team doesn't exist, or you're not a member of it.",
      detail: "No such team.",
    });
  });

  it("starts any provider's OAuth at its own function", async () => {
    for (const provider of ["slack", "discord"] as const) {
      invoke.mockResolvedValueOnce({ data: { authUrl: "https://x/authorize", confirmSecret: "s" }, error: null });
      await api.startOAuth(provider, { teamId: "t", redirectUri: `http://localhost/${provider}-callback.html` });
      expect(invoke).toHaveBeenLastCalledWith(`${provider}-oauth-start`, {
        method: "POST",
        body: { teamId: "t", redirectUri: `http://localhost/${provider}-callback.html` },
      });
    }
  });

  it("sends a test message and reads where it went; rows carry the destination as text only", async () => {
    const destination = { channel: "#sales", channelId: "C1", workspace: "Acme Sales", workspaceId: "T1" };
    invoke.mockResolvedValueOnce({ data: { status: "sent", destination }, error: null });
    expect(await api.sendTestMessage("t", "slack")).toEqual({ status: "sent", destination });
    expect(invoke).toHaveBeenLastCalledWith("api/teams/t/integrations/slack/test-message", { method: "POST" });

    invoke.mockResolvedValueOnce({
      data: {
        integrations: [
          { provider: "discord", status: "connected", destination: { channel: null, channelId: null, workspace: " Acme ", workspaceId: 7 } },
          { provider: "slack", status: "connected", destination: { channel: {}, workspace: null, url: "https://hooks.example/secret" } },
          { provider: "fathom", status: "connected" },
        ],
      },
      error: null,
    });
    const [discord, slack, fathom] = await api.listIntegrations("t");
    expect(discord.destination).toEqual({ channel: null, channelId: null, workspace: "Acme", workspaceId: "7" });
    expect(slack.destination).toBeNull(); // nothing readable (and never anything but the four names)
    expect(fathom.destination).toBeNull();
  });

  it("keeps a 429's Retry-After (seconds or an HTTP date) on the error", async () => {
    const limited = (retryAfter: string | null) =>
      new FunctionsHttpError(
        new Response(JSON.stringify({ error: { code: "provider_rate_limited", message: "Slow down." } }), {
          status: 429,
          headers: { "content-type": "application/json", ...(retryAfter === null ? {} : { "retry-after": retryAfter }) },
        }),
      );
    expect(await toApiError(limited("12"))).toMatchObject({ code: "provider_rate_limited", status: 429, retryAfterSeconds: 12 });
    expect(await toApiError(limited("2.5"))).toMatchObject({ retryAfterSeconds: 3 });
    expect((await toApiError(limited(null))).retryAfterSeconds).toBeUndefined();
    expect((await toApiError(limited("soon"))).retryAfterSeconds).toBeUndefined();
    const at = new Date(Date.now() + 30_000).toUTCString();
    const fromDate = (await toApiError(limited(at))).retryAfterSeconds ?? -1;
    expect(fromDate).toBeGreaterThanOrEqual(28);
    expect(fromDate).toBeLessThanOrEqual(31);
  });
});
