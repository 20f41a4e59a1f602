import { useEffect } from "react";
import type { SetURLSearchParams } from "react-router-dom";

/**
 * Keeps a list's (debounced) search text in the address bar as `q`, replacing the history entry: a reload or a
 * shared link shows the same list. Other parameters are left as they are; an unchanged URL is not written again.
 */
export function useSearchInUrl(q: string, setParams: SetURLSearchParams) {
  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (q) next.set("q", q);
        else next.delete("q");
        return next.toString() === prev.toString() ? prev : next;
      },
      { replace: true },
    );
  }, [q, setParams]);
}
