// Authorization codes: single-use and short-lived (RFC 6749 §4.1.2: "MUST expire shortly", "MUST NOT be used more
// than once"). A redeemed code is remembered until it would have expired, so a replay is told apart from a typo.

import { randomToken } from "./ids.ts";

export type Redeemed<T> =
  | { ok: true; payload: T }
  | { ok: false; reason: "unknown" | "used" | "expired" };

export interface CodeBook<T> {
  /** A new code for this payload, valid for the book's ttl. */
  issue(payload: T): string;
  /** Consumes the code: the first call gets the payload, later ones `used`. */
  redeem(code: string): Redeemed<T>;
  clear(): void;
}

export function createCodeBook<T>({ ttlMs, now, prefix = "" }: { ttlMs: number; now: () => number; prefix?: string }): CodeBook<T> {
  const codes = new Map<string, { payload: T; expiresAtMs: number; used: boolean }>();
  const sweep = () => {
    const at = now();
    for (const [code, entry] of codes) if (entry.expiresAtMs <= at) codes.delete(code);
  };
  return {
    issue(payload) {
      sweep();
      const code = randomToken(prefix, 24);
      codes.set(code, { payload, expiresAtMs: now() + ttlMs, used: false });
      return code;
    },
    redeem(code) {
      const entry = codes.get(code);
      if (!entry) return { ok: false, reason: "unknown" };
      if (entry.used) return { ok: false, reason: "used" };
      if (entry.expiresAtMs <= now()) {
        codes.delete(code);
        return { ok: false, reason: "expired" };
      }
      entry.used = true;
      return { ok: true, payload: entry.payload };
    },
    clear: () => codes.clear(),
  };
}
