/* Mark reminders decided, one row per appointment and time: ${ids} and ${times} (arrays in step), ${mailed} whether each had an address */
INSERT INTO reminders_sent (appointment_id, appointment_time, mailed)
SELECT * FROM unnest(${ids}::bigint[], ${times}::timestamptz[], ${mailed}::boolean[])
ON CONFLICT DO NOTHING
