import { beforeEach, describe, expect, it, vi } from "vitest";

// Counts AuthClient constructions: the client must not be built (nor its module evaluated) for a signed-in page's
// first requests (issue 10's JavaScript budget, docs/performance.md).
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock("@supabase/auth-js", async (original) => {
  const actual = await original<typeof import("@supabase/auth-js")>();
  class CountingClient extends actual.AuthClient {
    constructor(...args: ConstructorParameters<typeof actual.AuthClient>) {
      super(...args);
      built.count += 1;
    }
  }
  return { ...actual, AuthClient: CountingClient, GoTrueClient: CountingClient };
});

const KEY = "sb-127-auth-token";

beforeEach(() => {
  vi.resetModules();
  built.count = 0;
  localStorage.clear();
});

describe("supabase (the app's client)", () => {
  it("sends the stored access token on the first API call without building the auth client", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    localStorage.setItem(KEY, JSON.stringify({
      access_token: "stored-token", refresh_token: "r", token_type: "bearer", expires_in: 3600, expires_at: expiresAt,
      user: { id: "u-1" },
    }));
    const fetchMock = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("{}", {
      headers: { "content-type": "application/json" },
    }));
    const { supabase } = await import("./supabase");
    await supabase.functions.invoke("api/teams", { method: "GET" });
    const headers = new Headers(fetchMock.mock.calls[0][1]?.headers);
    expect(headers.get("Authorization")).toBe("Bearer stored-token");
    expect(built.count).toBe(0);
    fetchMock.mockRestore();
  });

  it("builds the auth client when there is no stored session", async () => {
    const { supabase } = await import("./supabase");
    const { data } = await supabase.auth.getSession();
    expect(data.session).toBeNull();
    expect(built.count).toBe(1);
  });
});
