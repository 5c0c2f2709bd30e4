/* Delete events sent more than a week ago, a batch at a time */
DELETE FROM outbox
WHERE id IN (SELECT id FROM outbox WHERE sent_at < now() - interval '7 days' ORDER BY sent_at LIMIT 5000)
