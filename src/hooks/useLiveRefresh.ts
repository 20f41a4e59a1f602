import { useEffect, useRef } from "react";
import { toast } from "@/lib/toast";
import { meetingProviderName, meetingTitle } from "@/lib/meetings";
import type { MeetingSummary } from "@/lib/types";

/**
 * How often lists, the lead page and the import panel re-read the server while the tab is visible (ms). Polling
 * through TanStack Query is the whole mechanism: no Realtime channel is needed locally or deployed.
 */
export const LIVE_REFRESH_MS = 5_000;

/**
 * Query options for "updates by itself": refetch every `LIVE_REFRESH_MS` while the document is visible, never in a
 * background tab (TanStack Query checks `document.visibilityState` before each interval refetch).
 */
export const liveQueryOptions = {
  refetchInterval: LIVE_REFRESH_MS,
  refetchIntervalInBackground: false,
} as const;

/**
 * Shows a discreet toast "New meeting from <provider>: <title>" for each meeting that appears at the top of the list
 * (`pages[0]`, newest first) after the list was first loaded. `scope` names the list's filters: when it changes (a
 * new search, another lead) the list is taken as a first load again, so a filter never announces old meetings; while
 * `placeholder` is true (the previous filter's rows are still shown) nothing is compared. Meetings reached by
 * "Load more" are older ones: remembered as seen, never announced. Several new ones at once (an import) make one toast
 * "N new meetings from <provider>" (no "from" when they came from several).
 */
export function useNewMeetingToast(
  scope: string,
  pages: { meetings: MeetingSummary[] }[] | undefined,
  placeholder = false,
) {
  const seen = useRef<{ scope: string; ids: Set<string> } | null>(null);
  useEffect(() => {
    if (!pages || placeholder) return;
    const all = pages.flatMap((p) => p.meetings);
    const known = seen.current;
    if (!known || known.scope !== scope) {
      seen.current = { scope, ids: new Set(all.map((m) => m.id)) };
      return;
    }
    const fresh = (pages[0]?.meetings ?? []).filter((m) => !known.ids.has(m.id));
    // an import brings many at once: one toast for the batch, not one per meeting
    // "from <provider>" only when one provider brought them all (a Zoom import and a Fathom webhook at once: no "from")
    const names = new Set(fresh.map((m) => meetingProviderName(m.provider)));
    const [name] = names;
    const from = names.size === 1 && name ? ` from ${name}` : "";
    if (fresh.length === 1) toast(`New meeting${from}: ${meetingTitle(fresh[0])}`, { id: `new-meeting-${fresh[0].id}` });
    else if (fresh.length > 1) toast(`${fresh.length} new meetings${from}`);
    for (const m of all) known.ids.add(m.id);
  }, [scope, pages, placeholder]);
}
