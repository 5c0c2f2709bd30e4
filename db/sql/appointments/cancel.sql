/* Cancel a booked appointment and queue its event; no row when it is unknown or already cancelled. $1 the reference's SHA-256 (sent apart from the text); an erased appointment is no longer the patient's to cancel, $2 event source */
WITH cancelled AS (
  UPDATE appointments SET status = 'cancelled', cancelled_at = now()
  WHERE reference_hash = $1::bytea AND status = 'booked' AND erased_at IS NULL
  RETURNING id, appointment_json(appointments)::text AS body, appointment_event_data(appointments) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.cancelled.v1', $2::text, 'appointments/' || c.id, c.event_data FROM cancelled c
)
SELECT body FROM cancelled
