import { describe, expect, it } from "vitest";
import { AUTH_EXPIRY_MARGIN_MS, authStorageKey, readStoredSession } from "./storedSession";

const KEY = "sb-127-auth-token";
const NOW = 1_800_000_000_000; // ms

/** A Session as auth-js's _saveSession writes it (JSON, expires_at in seconds). */
function session(expiresInS: number) {
  return {
    access_token: "header.payload.sig",
    refresh_token: "r-1",
    token_type: "bearer",
    expires_in: 3600,
    expires_at: Math.floor(NOW / 1000) + expiresInS,
    user: { id: "11111111-1111-4111-8111-111111111111", email: "demo-admin@example.com" },
  };
}

function storage(entries: Record<string, string>): Pick<Storage, "getItem"> {
  return { getItem: (k) => entries[k] ?? null };
}

describe("readStoredSession", () => {
  it("returns the session auth-js stored under the key while it is outside the expiry margin", () => {
    const s = session(3600);
    expect(readStoredSession(storage({ [KEY]: JSON.stringify(s) }), KEY, NOW)).toEqual(s);
    const edge = session(AUTH_EXPIRY_MARGIN_MS / 1000);
    expect(readStoredSession(storage({ [KEY]: JSON.stringify(edge) }), KEY, NOW)).toEqual(edge);
  });

  it("is null for a token that expired or expires within auth-js's 90 s margin", () => {
    for (const expiresInS of [-10, 0, 30, 89]) {
      expect(readStoredSession(storage({ [KEY]: JSON.stringify(session(expiresInS)) }), KEY, NOW)).toBeNull();
    }
  });

  it("is null when nothing is stored, or only under another key", () => {
    expect(readStoredSession(storage({}), KEY, NOW)).toBeNull();
    expect(readStoredSession(storage({ [`${KEY}-code-verifier`]: JSON.stringify(session(3600)) }), KEY, NOW)).toBeNull();
    expect(readStoredSession(storage({ "sb-other-auth-token": JSON.stringify(session(3600)) }), KEY, NOW)).toBeNull();
    expect(readStoredSession(undefined, KEY, NOW)).toBeNull();
  });

  it("is null for corrupt JSON, a wrong shape or a storage that throws", () => {
    const full = session(3600);
    const { user: _u, ...noUser } = full;
    const { expires_at: _e, ...noExpiry } = full;
    const { refresh_token: _r, ...noRefresh } = full;
    for (const raw of ['{"access_token":', "null", "42", '"text"', "[]", JSON.stringify(noUser),
      JSON.stringify(noExpiry), JSON.stringify(noRefresh), JSON.stringify({ ...full, access_token: "" }),
      JSON.stringify({ ...full, expires_at: "1800003600" }), JSON.stringify({ ...full, user: { email: "x@y.z" } })]) {
      expect(readStoredSession(storage({ [KEY]: raw }), KEY, NOW), raw).toBeNull();
    }
    const throwing = { getItem: () => { throw new DOMException("blocked", "SecurityError"); } };
    expect(readStoredSession(throwing, KEY, NOW)).toBeNull();
  });
});

describe("authStorageKey", () => {
  it("is supabase-js's key: sb-<first label of the host>-auth-token", () => {
    expect(authStorageKey("http://127.0.0.1:54321")).toBe("sb-127-auth-token");
    expect(authStorageKey("https://abcdefgh.supabase.co")).toBe("sb-abcdefgh-auth-token");
  });
});
