/* Claim due events, oldest first, that no other relay holds and whose appointment has no earlier event unsent; the row locks last until the claiming transaction ends */
SELECT o.id, o.event_id::text AS event_id, o.type, o.source, o.subject, o.data, utc_iso(o.created_at) AS time, o.attempts
FROM outbox o
WHERE o.sent_at IS NULL
  AND o.next_attempt_at <= now()
  AND NOT EXISTS (
    SELECT 1 FROM outbox earlier
    WHERE earlier.subject = o.subject AND earlier.id < o.id AND earlier.sent_at IS NULL)
ORDER BY o.id
LIMIT ${limit}
FOR UPDATE OF o SKIP LOCKED
