/* Mark reminders decided, one row per appointment and the time it has now: ${ids} and ${mailed} (arrays in step). The time is read from the row, locked by this transaction's claim, never round-tripped through text: utc_iso keeps milliseconds, a stored time may carry microseconds, and an inexact copy would never match the claim again */
INSERT INTO reminders_sent (appointment_id, appointment_time, mailed)
SELECT a.id, a.appointment_time, d.mailed
FROM unnest(${ids}::bigint[], ${mailed}::boolean[]) AS d (id, mailed)
JOIN appointments a ON a.id = d.id
ON CONFLICT DO NOTHING
