-- The webhook's acknowledgement inserts one webhook_deliveries row per delivery, 200 at once under load
-- (bench/webhook, budget: p99 within 1.5x of its baseline), and every index on the table is written by that insert:
-- with the activity panel's (team_id, received_at) index the p99 ratio was 1.61 on PostgreSQL 15, without it 1.43.
-- The panel's query orders by greatest(received_at, last_duplicate_at), which that index did not serve anyway; it
-- now filters the team's rows by scanning (rows are kept, one per delivery: fine at thousands, an index on
-- (integration_id, received_at) is the answer if a database holds millions, at the acknowledgement's expense).
drop index if exists public.webhook_deliveries_team_received_idx;
