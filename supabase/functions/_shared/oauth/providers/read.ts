// Reading identity fields out of a provider's JSON (entries' `identity.read`): pure, imports nothing.

/** A non-empty string, or null for anything else (missing, empty, a number, an object). */
export const str = (value: unknown): string | null => typeof value === "string" && value ? value : null;
