// The leads list's view (filters and order) as it lives in the address bar, so that a reload or a shared link shows
// the same list. Unknown values in a hand-edited URL are dropped (the list falls back to "all"/newest first) rather
// than sent to the API, which would refuse them with a 400.
import { LEAD_SORTS, LEAD_STAGES, type LeadSort, type LeadStage, type LeadsQuery, type SortDir } from "@/lib/types";

/** `owner` in the URL: "me" (whoever opens the link), "none" (unassigned) or a member's user id. */
export type OwnerFilter = "me" | "none" | string;

export interface LeadsView {
  stage?: LeadStage;
  owner?: OwnerFilter;
  sort: LeadSort;
  dir: SortDir;
}

/** The direction a sort starts in (the API's own defaults): dates newest first, the others A-Z / new -> lost. */
export const DEFAULT_DIR: Record<LeadSort, SortDir> = {
  created: "desc",
  name: "asc",
  stage: "asc",
  owner: "asc",
  last_meeting: "desc",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isOne = <T extends string>(list: readonly T[], value: string | null): value is T =>
  value !== null && (list as readonly string[]).includes(value);

/** The view in `params` (stage, owner, sort, dir), each unknown value dropped. */
export function readLeadsView(params: URLSearchParams): LeadsView {
  const stage = params.get("stage");
  const owner = params.get("owner");
  const sortParam = params.get("sort");
  const sort: LeadSort = isOne(LEAD_SORTS, sortParam) ? sortParam : "created";
  const dirParam = params.get("dir");
  return {
    stage: isOne(LEAD_STAGES, stage) ? stage : undefined,
    owner: owner === "me" || owner === "none" || (owner && UUID.test(owner)) ? owner : undefined,
    sort,
    dir: dirParam === "asc" || dirParam === "desc" ? dirParam : DEFAULT_DIR[sort],
  };
}

/** `params` with the view written in (newest first and empty filters leave no trace); q and others are kept. */
export function writeLeadsView(params: URLSearchParams, view: LeadsView): URLSearchParams {
  const next = new URLSearchParams(params);
  const put = (name: string, value: string | undefined) => (value ? next.set(name, value) : next.delete(name));
  put("stage", view.stage);
  put("owner", view.owner);
  const byCreated = view.sort === "created" && view.dir === DEFAULT_DIR.created;
  put("sort", byCreated ? undefined : view.sort);
  put("dir", byCreated ? undefined : view.dir);
  return next;
}

/** The API query for the view; `me` becomes the signed-in user's id (no user: no owner filter). */
export function leadsQueryOf(view: LeadsView, userId: string | undefined): Pick<LeadsQuery, "stage" | "owner" | "sort" | "dir"> {
  const byCreated = view.sort === "created" && view.dir === DEFAULT_DIR.created;
  return {
    stage: view.stage,
    owner: view.owner === "me" ? userId : view.owner,
    sort: byCreated ? undefined : view.sort,
    dir: byCreated ? undefined : view.dir,
  };
}

/**
 * A click on a column header: an unsorted column sorts in its starting direction, a second click reverses it, a
 * third returns to newest first (so the default order is always one header away).
 */
export function nextSort(view: LeadsView, column: Exclude<LeadSort, "created">): Pick<LeadsView, "sort" | "dir"> {
  if (view.sort !== column) return { sort: column, dir: DEFAULT_DIR[column] };
  if (view.dir === DEFAULT_DIR[column]) return { sort: column, dir: view.dir === "asc" ? "desc" : "asc" };
  return { sort: "created", dir: DEFAULT_DIR.created };
}
