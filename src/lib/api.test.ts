import { describe, expect, it, vi, beforeEach } from "vitest";
import { FunctionsFetchError, FunctionsHttpError } from "@supabase/supabase-js";

const invoke = vi.fn();
vi.mock("./supabase", () => ({ supabase: { functions: { invoke: (...a: unknown[]) => invoke(...a) } } }));

import { api, ApiError, toApiError } from "./api";

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

beforeEach(() => invoke.mockReset());

describe("api", () => {
  it("turns a FunctionsHttpError into the envelope's code and message", async () => {
    const err = await toApiError(
      new FunctionsHttpError(jsonResponse(403, { error: { code: "not_team_admin", message: "Admins only." } })),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: "not_team_admin", message: "Admins only.", status: 403 });
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

    invoke.mockResolvedValueOnce({ data: { authUrl: "https://x/authorize" }, error: null });
    expect(await api.startFathomOAuth({ teamId: "t", redirectUri: "http://localhost/fathom-callback.html" })).toBe(
      "https://x/authorize",
    );
    expect(invoke).toHaveBeenLastCalledWith("fathom-oauth-start", {
      method: "POST",
      body: { teamId: "t", redirectUri: "http://localhost/fathom-callback.html" },
    });
  });

  it("rejects with the envelope when a function answers with an error", async () => {
    invoke.mockResolvedValueOnce({
      data: null,
      error: new FunctionsHttpError(jsonResponse(404, { error: { code: "team_not_found", message: "No such team." } })),
    });
    await expect(api.listIntegrations("t")).rejects.toMatchObject({ code: "team_not_found", message: "No such team." });
  });
});
