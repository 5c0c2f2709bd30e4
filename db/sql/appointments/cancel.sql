/* Cancel a booked appointment and queue its event; no row when it is unknown or already cancelled. $1 reference (sent apart from the text, never logged with it), $2 event source */
WITH cancelled AS (
  UPDATE appointments SET status = 'cancelled', cancelled_at = now()
  WHERE reference = $1::text AND status = 'booked'
  RETURNING id, appointment_json(appointments)::text AS body, appointment_event_data(appointments) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.cancelled.v1', $2::text, 'appointments/' || c.id, c.event_data FROM cancelled c
)
SELECT body FROM cancelled
