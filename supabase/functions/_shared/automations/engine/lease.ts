// The check every write of a run's holder starts with (claims.ts): inside the writing transaction, lock the run
// row and make sure this runner's lease is still the run's. If not (the lease expired and another runner took the
// run, or the run was cancelled), LeaseLost aborts the transaction, so a stale runner finishing late overwrites
// nothing.
import type { Tx } from "../../db.ts";
import { LeaseLost, type LeasedRun } from "./types.ts";

/** Locks the run row for this transaction; throws LeaseLost unless it is still `running` under `run.lease_id`. */
export async function holdLease(tx: Tx, run: Pick<LeasedRun, "id" | "lease_id">): Promise<void> {
  const rows = await tx`
    select 1 from public.automation_runs
     where id = ${run.id} and lease_id = ${run.lease_id} and status = 'running'
     for update`;
  if (rows.length === 0) throw new LeaseLost(run.id);
}
