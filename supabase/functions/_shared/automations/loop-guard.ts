// Loop guard (issue 11 design, "Engine"; automations.md §5.3 step 5): an event caused by an automation run carries
// the depth of that run's event + 1 (app.automation_depth). Past MAX_DEPTH the run is recorded as skipped
// ("loop guard") instead of running, so "stage changed -> set stage -> stage changed …" stops, visibly.

export const MAX_DEPTH = 3;

/** "run" for depth 0..MAX_DEPTH-1, "skip" from MAX_DEPTH on (and for a depth that is not a number >= 0). */
export function loopGuard(depth: number): "run" | "skip" {
  if (!Number.isInteger(depth) || depth < 0) return "skip";
  return depth < MAX_DEPTH ? "run" : "skip";
}

export const LOOP_GUARD_REASON = "loop guard";
