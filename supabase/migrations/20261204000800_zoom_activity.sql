-- Issue 12, review findings: Zoom's activity and what the CRM keeps when Zoom removes things.
-- 1. The activity panel says until when a waiting delivery waits (a provider's rate limit, a failed attempt's
--    backoff). next_attempt_at is a time we set ourselves: no provider data, no secret.
grant select (next_attempt_at) on public.webhook_deliveries to authenticated;

-- 2. A recording deleted (or trashed) at Zoom (zoom/retention.ts, docs/security.md): the meeting keeps its row and lead
--    links, loses its transcript and links, and says when Zoom told us. Readable like every meetings column.
alter table public.meetings add column provider_deleted_at timestamptz;
