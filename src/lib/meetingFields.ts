import { field } from "./tolerant";
import { isHttpUrl } from "./utils";

// Tolerant building blocks (tolerant.ts) that only meetingSchema.ts uses: apart, so that they load with it and not
// with fathomSchema.ts in every page's entry chunk (the Integrations page's budget, issue 10).

/** "HH:MM:SS" for a number of whole seconds. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/**
 * Fathom's "HH:MM:SS" for a recording offset given as "HH:MM:SS", "MM:SS", seconds ("42", 42, 42.7) or null;
 * null when it is none of these.
 */
export function toTimestamp(v: unknown): string | null {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? formatSeconds(v) : null;
  if (typeof v !== "string") return null;
  const s = v.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return formatSeconds(Number(s));
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?$/.exec(s);
  if (!m) return null;
  const [, h, min, sec] = m;
  if (Number(min) > 59 || Number(sec) > 59) return null;
  return formatSeconds(Number(h ?? 0) * 3600 + Number(min) * 60 + Number(sec));
}

/** A trimmed string that looks like an e-mail address (has an "@"), or null. */
export const email = field((v) => (typeof v === "string" && v.includes("@") ? v.trim() : null));

/** An http(s) URL or null (other schemes are never links). */
export const httpUrl = field((v) => (typeof v === "string" && isHttpUrl(v.trim()) ? v.trim() : null));

/** A recording offset as "HH:MM:SS" or null (see toTimestamp). */
export const timestamp = field(toTimestamp);
