/* Decide an event once: a row per event id, inserted in the transaction that sends its mail; no row back when another delivery already decided it. ${eventId}, ${appointmentId}, ${kind} */
INSERT INTO notices_sent (event_id, appointment_id, kind)
VALUES (${eventId}, ${appointmentId}, ${kind})
ON CONFLICT (event_id) DO NOTHING
RETURNING event_id
