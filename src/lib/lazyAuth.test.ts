import { afterEach, describe, expect, it, vi } from "vitest";
import type { AuthChangeEvent, GoTrueClient, Session } from "@supabase/auth-js";
import { createLazyAuth } from "./lazyAuth";

const KEY = "sb-127-auth-token";
const NOW = 1_800_000_000_000;

function stored(expiresInS: number): Session {
  return {
    access_token: "stored-token",
    refresh_token: "r-1",
    token_type: "bearer",
    expires_in: 3600,
    expires_at: Math.floor(NOW / 1000) + expiresInS,
    user: { id: "u-1" },
  } as Session;
}

type Listener = (event: AuthChangeEvent, session: Session | null) => void;

/** A stand-in for auth-js's client: its session, its subscribers, and INITIAL_SESSION on subscribe as auth-js does. */
function fakeClient(session: Session | null) {
  const listeners = new Set<Listener>();
  const client = {
    getSession: vi.fn(async () => ({ data: { session }, error: null })),
    onAuthStateChange: vi.fn((cb: Listener) => {
      listeners.add(cb);
      queueMicrotask(() => cb("INITIAL_SESSION", session));
      return { data: { subscription: { id: "s", callback: cb, unsubscribe: () => listeners.delete(cb) } } };
    }),
    signOut: vi.fn(async () => {
      session = null;
      for (const cb of listeners) cb("SIGNED_OUT", null);
      return { error: null };
    }),
    signInWithPassword: vi.fn(),
    signUp: vi.fn(),
    listeners,
  };
  return client;
}

function setup(entry: Session | null | string, clientSession: Session | null = stored(3600)) {
  const client = fakeClient(clientSession);
  const create = vi.fn(async () => client as unknown as GoTrueClient);
  const raw = typeof entry === "string" ? entry : entry && JSON.stringify(entry);
  const auth = createLazyAuth({ create, storageKey: KEY, storage: { getItem: (k) => (k === KEY ? raw : null) }, now: () => NOW });
  return { auth, client, create };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe("createLazyAuth", () => {
  it("answers getSession from a usable stored session without loading the client", async () => {
    const { auth, create } = setup(stored(3600));
    const { data } = await auth.getSession();
    expect(data.session?.access_token).toBe("stored-token");
    expect(create).not.toHaveBeenCalled();
  });

  it("loads the client for an absent, expiring or corrupt stored session and asks it", async () => {
    for (const entry of [null, stored(60), "{not json"]) {
      const { auth, client, create } = setup(entry, null);
      expect((await auth.getSession()).data.session).toBeNull();
      expect(create).toHaveBeenCalledTimes(1);
      expect(client.getSession).toHaveBeenCalled();
    }
  });

  it("a subscriber does not load the client; it attaches when something else does", async () => {
    const { auth, create } = setup(stored(3600));
    const events: string[] = [];
    auth.onAuthStateChange((event) => events.push(event));
    await flush();
    expect(create).not.toHaveBeenCalled();
    await auth.signOut();
    await flush();
    expect(create).toHaveBeenCalledTimes(1);
    expect(events).toEqual(["INITIAL_SESSION", "SIGNED_OUT"]);
  });

  it("reports SIGNED_OUT when the session it handed out is gone once the client loads (another tab)", async () => {
    const { auth } = setup(stored(3600), null);
    await auth.getSession();
    const events: Array<[string, Session | null]> = [];
    auth.onAuthStateChange((event, session) => events.push([event, session]));
    await auth.load();
    await flush();
    expect(events).toEqual([["SIGNED_OUT", null]]);
  });

  it("an unsubscribed listener is never attached", async () => {
    const { auth, client } = setup(stored(3600));
    const cb = vi.fn();
    auth.onAuthStateChange(cb).data.subscription.unsubscribe();
    await auth.load();
    await flush();
    expect(client.onAuthStateChange).not.toHaveBeenCalled();
    expect(cb).not.toHaveBeenCalled();
  });

  it("loads the client when the served token enters auth-js's expiry margin", async () => {
    vi.useFakeTimers();
    const { auth, create } = setup(stored(600));
    await auth.getSession();
    vi.advanceTimersByTime((600 - 90) * 1000 - 1);
    expect(create).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("loadIfStale loads only when the stored session can no longer be used", async () => {
    const fresh = setup(stored(3600));
    fresh.auth.loadIfStale();
    expect(fresh.create).not.toHaveBeenCalled();
    const stale = setup(stored(10));
    stale.auth.loadIfStale();
    expect(stale.create).toHaveBeenCalledTimes(1);
  });

  it("a chunk that failed to load is tried again on the next need", async () => {
    const { client } = setup(null, null);
    const create = vi.fn<() => Promise<GoTrueClient>>()
      .mockRejectedValueOnce(new TypeError("Failed to fetch dynamically imported module"))
      .mockResolvedValue(client as unknown as GoTrueClient);
    const retrying = createLazyAuth({ create, storageKey: KEY, storage: undefined, now: () => NOW });
    await expect(retrying.getSession()).rejects.toThrow(/dynamically imported/);
    expect((await retrying.getSession()).data.session).toBeNull();
    expect(create).toHaveBeenCalledTimes(2);
  });
});
