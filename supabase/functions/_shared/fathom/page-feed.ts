// Fetching a Fathom listing ahead of the one who stores it: the backfill's list stage is bound by Fathom's rate
// limit, not by our database, so pages are fetched (paced by the client) while earlier ones are stored.
import type { MeetingsPage } from "./client.ts";

/** Pages fetched ahead of the one being stored, at most (10 meetings each). */
export const PAGES_AHEAD = 10;

export interface PageFeed {
  /**
   * Every page that has arrived (at least one; none once the feed stopped at the deadline). A fetch's error is
   * thrown here once the pages before it were taken.
   */
  take(): Promise<MeetingsPage[]>;
  /** Stop fetching (the pages in flight are dropped). */
  stop(): void;
}

/**
 * Fetches a listing's pages one after the other (each cursor comes from the page before), from `cursor`, ahead of
 * the caller, until the listing ends, PAGES_AHEAD are waiting, or `deadline` (epoch ms) passes.
 */
export function pageFeed(
  listPage: (cursor: string | null) => Promise<MeetingsPage>,
  cursor: string | null,
  deadline: number,
): PageFeed {
  const arrived: MeetingsPage[] = [];
  let failure: { error: unknown } | null = null;
  let finished = false;
  let stopped = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  void (async () => {
    try {
      for (let next = cursor; !stopped;) {
        while (arrived.length >= PAGES_AHEAD && !stopped) await changed();
        if (stopped) break;
        const page = await listPage(next);
        arrived.push(page);
        notify();
        next = page.next_cursor || null;
        if (!next || Date.now() >= deadline) break;
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      notify();
    }
  })();
  return {
    async take(): Promise<MeetingsPage[]> {
      while (arrived.length === 0) {
        if (failure) throw failure.error;
        if (finished) return []; // it stopped at the deadline

        await changed();
      }
      const pages = arrived.splice(0);
      notify(); // room for more
      return pages;
    },
    stop() {
      stopped = true;
      notify();
    },
  };
}
