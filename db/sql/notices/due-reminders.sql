/* Booked appointments whose reminder is due (starting within ${hours} hours, not yet reminded at this time), oldest first, locked so that a concurrent run skips them and a cancellation waits for this run's commit; at most ${limit} */
SELECT a.id::text AS id, utc_iso(a.appointment_time) AS appointment_time
FROM appointments a
WHERE a.status = 'booked' AND a.erased_at IS NULL
  AND a.appointment_time > now() AND a.appointment_time <= now() + make_interval(hours => ${hours})
  AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.appointment_id = a.id AND r.appointment_time = a.appointment_time)
ORDER BY a.appointment_time, a.id
LIMIT ${limit}
FOR UPDATE OF a SKIP LOCKED
