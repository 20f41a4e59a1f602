-- Starting an authorization rewrites the team's integration row (state hash, expiry, verifier, confirm hash). The
-- unique index on oauth_state_hash made every such write a non-HOT update (a new index entry in every index of the
-- table). Nothing looks a state up by its hash alone: the callback consumes it by (provider, team_id), the unique
-- key, and compares the hash there (oauth/state.ts consumeState); 256 random bits do not collide. Without the index
-- the write is a heap-only tuple update (bench/oauth-start, docs/performance.md).
drop index public.team_integrations_state_idx;
-- Room on each page for the new row version, so the update can stay on its page (a HOT update needs that).
alter table public.team_integrations set (fillfactor = 70);
