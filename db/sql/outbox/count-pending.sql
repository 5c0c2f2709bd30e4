/* How many events wait to be sent, and how many of them are due now */
SELECT count(*)::int AS pending, count(*) FILTER (WHERE next_attempt_at <= now())::int AS due
FROM outbox WHERE sent_at IS NULL
