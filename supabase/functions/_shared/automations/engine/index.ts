// The automations engine's public surface (issue 11): the runner pass for the automation-runner function, and
// what the API's run log and rule editor call. Module map:
//   claims.ts (SKIP LOCKED + leases) -> dispatch.ts (event -> runs, context-loader.ts) -> execute.ts (steps:
//   resolve.ts, crm-actions.ts, messages.ts + webhook.ts, steps.ts, lease.ts) -> finish.ts (retry / dead / pause);
//   runner.ts (runDue), manual.ts (retryRun, rerun), dry-run.ts (dryRun).
export { runDue, type RunDueResult } from "./runner.ts";
export { retryRun, rerun } from "./manual.ts";
export { dryRun, type DryRunResult } from "./dry-run.ts";
export type { RunRow } from "./types.ts";
