import { z } from "zod/mini";

/**
 * Tolerant zod building blocks (zod/mini: the same schemas as zod's classic API with functions instead of methods,
 * so the bundle holds only what is used) for data that came from a provider (Fathom) through our API. Each one accepts any
 * input and never fails: what cannot be shown becomes null (or the given default), so a component receives only the
 * shapes it renders. Used by the response parsers (fathomSchema.ts, in every page's entry chunk, and the lazy ones);
 * the blocks only a meeting's parser needs are in meetingFields.ts, which loads with it.
 */

/** Keys under which an object in a text position usually carries its text (Fathom's summary: `markdown_formatted`). */
const TEXT_KEYS = ["text", "markdown_formatted", "description", "display_name", "name", "title", "value", "content"];

/**
 * A string to show for `v`: strings as they are, finite numbers as decimals, arrays as their readable parts joined
 * by spaces, objects by their first readable TEXT_KEYS entry (three levels deep at most); null for anything else
 * (null, booleans, objects without text).
 */
export function readableText(v: unknown, depth = 0): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (depth >= 3 || v === null || typeof v !== "object") return null;
  if (Array.isArray(v)) {
    const parts = v.map((x) => readableText(x, depth + 1)).filter((s): s is string => !!s?.trim());
    return parts.length ? parts.join(" ") : null;
  }
  for (const key of TEXT_KEYS) {
    const s = readableText((v as Record<string, unknown>)[key], depth + 1);
    if (s?.trim()) return s;
  }
  return null;
}

/**
 * A field that accepts anything, absent included, and maps it with `fn`. (In zod 4 an object key whose schema ends
 * in a transform is required unless its input is optional, so the `optional` comes first.)
 */
export const field = <T>(fn: (v: unknown) => T) => z.pipe(z.optional(z.unknown()), z.transform(fn));

/**
 * `schema`, then `fn` on its output (classic zod's `schema.transform(fn)`). Not named `then`: a module exporting
 * `then` is a thenable namespace, and `await import()` of it never settles (Vitest hung on exactly that).
 */
export const mapped = <S extends z.ZodMiniType, T>(schema: S, fn: (v: z.output<S>) => T) => z.pipe(schema, z.transform(fn));

/** Text or null. */
export const text = field((v) => readableText(v));

/** Text, or `fallback` when there is none. */
export const textOr = (fallback: string) => field((v) => readableText(v) ?? fallback);

/** Trimmed text, null when empty. */
export const trimmed = field((v) => readableText(v)?.trim() || null);

/** An ISO 8601 instant that Date can read, or null. */
export const isoTime = field((v) => (typeof v === "string" && !Number.isNaN(new Date(v).getTime()) ? v : null));

/** A boolean; "true"/"false" strings are read, anything else is `fallback`. */
export const bool = <F extends boolean | null>(fallback: F) =>
  field((v): boolean | F => (typeof v === "boolean" ? v : v === "true" ? true : v === "false" ? false : fallback));

/** A finite number, numeric strings read; anything else is `fallback`. */
export const count = (fallback = 0) =>
  field((v) => {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN;
    return Number.isFinite(n) ? n : fallback;
  });

/**
 * An array of what `item` accepts: entries it rejects or maps to null are dropped; null when `v` is not an array.
 */
export function listOf<S extends z.ZodMiniType>(item: S) {
  return field((v): NonNullable<z.output<S>>[] | null => {
    if (!Array.isArray(v)) return null;
    const out: NonNullable<z.output<S>>[] = [];
    for (const x of v) {
      const r = item.safeParse(x);
      if (r.success && r.data !== null && r.data !== undefined) out.push(r.data as NonNullable<z.output<S>>);
    }
    return out;
  });
}

/** `schema`'s output when `v` is an object (not an array), else null. */
export function objectOrNull<S extends z.ZodMiniType>(schema: S) {
  return field((v): z.output<S> | null => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
    const r = schema.safeParse(v);
    return r.success ? r.data : null;
  });
}
