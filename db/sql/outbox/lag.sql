/* For the metrics: how many events wait to be sent, and how long the oldest of them has waited */
SELECT count(*)::int AS pending,
       coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_age_seconds
FROM outbox
WHERE sent_at IS NULL
