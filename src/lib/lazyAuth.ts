import type { AuthChangeEvent, GoTrueClient as AuthClient, Session } from "@supabase/auth-js";
import { AUTH_EXPIRY_MARGIN_MS, readStoredSession } from "./storedSession";

type Listener = (event: AuthChangeEvent, session: Session | null) => void;

/** The part of auth-js's AuthClient the app calls, same signatures. */
export interface LazyAuth {
  getSession(): ReturnType<AuthClient["getSession"]>;
  onAuthStateChange(callback: Listener): { data: { subscription: { unsubscribe(): void } } };
  signInWithPassword(...args: Parameters<AuthClient["signInWithPassword"]>): ReturnType<AuthClient["signInWithPassword"]>;
  signUp(...args: Parameters<AuthClient["signUp"]>): ReturnType<AuthClient["signUp"]>;
  signOut(...args: Parameters<AuthClient["signOut"]>): ReturnType<AuthClient["signOut"]>;
  /** Starts loading the client (idempotent); resolves with it. Rejects if its chunk cannot load (a later call retries). */
  load(): Promise<AuthClient>;
  /** Loads the client if the stored session can no longer be used as is (expired within the margin, gone). */
  loadIfStale(): void;
}

export interface LazyAuthOptions {
  /** Builds the AuthClient; in the app a dynamic import of @supabase/auth-js, so it stays out of the entry chunk. */
  create: () => Promise<AuthClient>;
  storageKey: string;
  /** Where auth-js persists the session (localStorage in a browser); undefined where there is none. */
  storage: Pick<Storage, "getItem"> | undefined;
  /**
   * If given, a subscription to auth events also loads the client when `whenIdle` calls back (requestIdleCallback).
   * The app does not pass it: see the docstring below.
   */
  whenIdle?: (fn: () => void) => void;
  now?: () => number;
}

/**
 * auth-js's AuthClient (22 KiB gzip) loaded on demand, off the first paint of every page (issue 10's JavaScript
 * budget, docs/performance.md). Until it is loaded, `getSession` answers from the session auth-js stored
 * (readStoredSession: same key and format, not expired with auth-js's margin), which is all a signed-in page needs
 * for its first requests. The client loads:
 * - at once for anything only it can do: sign in, up or out; a session that is absent, expired or unreadable (it
 *   refreshes or clears it, as before); a change to the stored session by another tab (`storage` event);
 * - in idle time once anyone subscribes to auth events (the app's SessionProvider does on its first render), so
 *   auto-refresh and the cross-tab BroadcastChannel run as they did;
 * - at the latest when the stored access token enters auth-js's expiry margin.
 * Subscribers attach to the client when it is loaded and get its INITIAL_SESSION then, except that a session this
 * facade handed out and the client no longer has (signed out elsewhere meanwhile) is reported as SIGNED_OUT.
 */
export function createLazyAuth(options: LazyAuthOptions): LazyAuth {
  const now = options.now ?? Date.now;
  let pending: Promise<AuthClient> | null = null;
  let client: AuthClient | null = null;
  let servedStoredSession = false;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Subscribers waiting for the client; they do not load it (see above). */
  const waiting = new Set<(c: AuthClient) => void>();

  function load(): Promise<AuthClient> {
    pending ??= options.create().then(
      (c) => {
        client = c;
        clearTimeout(expiryTimer);
        for (const attach of waiting) attach(c);
        waiting.clear();
        return c;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  }

  const loadSoon = () => void load().catch(() => undefined);

  return {
    load,

    loadIfStale() {
      if (!client && !readStoredSession(options.storage, options.storageKey, now())) loadSoon();
    },

    async getSession() {
      if (client) return client.getSession();
      const stored = readStoredSession(options.storage, options.storageKey, now());
      if (!stored) return (await load()).getSession();
      servedStoredSession = true;
      if (expiryTimer === undefined) {
        // auth-js refreshes within the margin; be loaded by then even if the page never went idle
        const due = (stored.expires_at ?? 0) * 1000 - AUTH_EXPIRY_MARGIN_MS - now();
        expiryTimer = setTimeout(loadSoon, Math.max(0, due));
      }
      return { data: { session: stored }, error: null };
    },

    onAuthStateChange(callback) {
      let closed = false;
      let unsubscribe: (() => void) | null = null;
      const attach = (c: AuthClient) => {
        if (closed) return;
        const wrapped: Listener = (event, session) => {
          if (event === "INITIAL_SESSION" && !session && servedStoredSession) callback("SIGNED_OUT", null);
          else callback(event, session);
        };
        unsubscribe = c.onAuthStateChange(wrapped).data.subscription.unsubscribe;
      };
      if (client) attach(client);
      else {
        waiting.add(attach);
        options.whenIdle?.(loadSoon);
      }
      return {
        data: {
          subscription: {
            unsubscribe() {
              closed = true;
              waiting.delete(attach);
              unsubscribe?.();
            },
          },
        },
      };
    },

    async signInWithPassword(...args) {
      return (await load()).signInWithPassword(...args);
    },
    async signUp(...args) {
      return (await load()).signUp(...args);
    },
    async signOut(...args) {
      return (await load()).signOut(...args);
    },
  };
}

/** A `storage` event that changes auth-js's entry (another tab signed in, out or refreshed), null key = cleared. */
export function touchesSession(event: Pick<StorageEvent, "key">, storageKey: string): boolean {
  return event.key === null || event.key === storageKey;
}
