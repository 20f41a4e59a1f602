-- claimRuns (engine/claims.ts) also takes runs whose holder's lease expired: status 'running' and locked_until
-- past. automation_runs_due_idx covers only queued/retrying runs, so that half of the claim scanned the whole table
-- on every claim (bench/automations: 1.7-9.8 ms and ~1,500 pages after 3,000 runs, 17 ms at 30,000). With this
-- partial index the two halves are a BitmapOr of two small partial indexes (0.1 ms, 14 pages at 30,000 runs).
create index automation_runs_lease_idx on public.automation_runs (locked_until) where status = 'running';
