/**
 * The longest search text the API accepts: `searchText` in supabase/functions/api/routes/common.ts (`q`, 200
 * characters after trimming; longer is 400 invalid_request). Search boxes stop typing there; text from elsewhere
 * (a pasted URL's `?q=`) is clipped, so a search is never a request the server refuses.
 */
export const SEARCH_MAX_LENGTH = 200;

/**
 * `q` trimmed and cut to SEARCH_MAX_LENGTH UTF-16 units (as zod's `max` counts), never inside a surrogate pair (a
 * lone surrogate is a 400 of its own); undefined when empty.
 */
export function clipSearch(q: string | null | undefined): string | undefined {
  let clipped = (q ?? "").trim().slice(0, SEARCH_MAX_LENGTH);
  if (/[\uD800-\uDBFF]$/.test(clipped)) clipped = clipped.slice(0, -1);
  return clipped.trim() || undefined;
}
