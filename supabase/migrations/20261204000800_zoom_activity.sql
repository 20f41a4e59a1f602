-- Issue 12, review finding 2: the activity panel says until when a waiting delivery waits (a provider's rate limit,
-- a failed attempt's backoff). next_attempt_at is a time we set ourselves: no provider data, no secret.
grant select (next_attempt_at) on public.webhook_deliveries to authenticated;
