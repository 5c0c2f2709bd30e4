/* Drop keys past their 24 hours, a batch at a time */
DELETE FROM idempotency_keys
WHERE key IN (SELECT key FROM idempotency_keys WHERE created_at <= now() - interval '24 hours' LIMIT 1000)
