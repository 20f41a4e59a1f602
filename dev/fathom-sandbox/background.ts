// Work the sandbox does after a request has been answered (webhook retries and their requests), kept track of so
// that close() and reset() can stop it: a stopped sandbox leaves no timer or socket behind.

export interface RetryTimers {
  /** Runs fn after delayMs, replacing any pending timer for the same key. */
  schedule(key: string, delayMs: number, fn: () => void): void;
  cancel(key: string): void;
  cancelAll(): void;
  readonly size: number;
}

export function createRetryTimers(): RetryTimers {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    schedule(key, delayMs, fn) {
      clearTimeout(timers.get(key));
      const timer = setTimeout(() => {
        timers.delete(key);
        fn();
      }, delayMs);
      // A retry hours away must not keep a process alive by itself (a served sandbox is kept alive by its server).
      Deno.unrefTimer(timer);
      timers.set(key, timer);
    },
    cancel(key) {
      clearTimeout(timers.get(key));
      timers.delete(key);
    },
    cancelAll() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    get size() {
      return timers.size;
    },
  };
}

export interface InFlight {
  /** Tracks an outgoing request; call the returned function when it has settled. */
  add(abort: AbortController): () => void;
  /** Aborts every tracked request. */
  abortAll(): void;
  /** Resolves once no request is in flight. */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  const live = new Set<AbortController>();
  let waiters: (() => void)[] = [];
  return {
    add(abort) {
      live.add(abort);
      return () => {
        live.delete(abort);
        if (live.size === 0) for (const resolve of waiters.splice(0)) resolve();
      };
    },
    abortAll() {
      for (const abort of live) abort.abort();
    },
    idle() {
      return live.size === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
