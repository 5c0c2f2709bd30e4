/* A patient's cancellation without a reason, and its event; no row when it is unknown, already cancelled, or starts within the doctor's cancel cutoff (doctor_rules, db/migrations/013 and 025), checked here on the row the update locks. $1 the reference's SHA-256 (sent apart from the text); an erased appointment is no longer the patient's to cancel, $2 event source. The cancel-booking function uses cancel-with-reason.sql, which also tells a refusal from an unknown reference */
WITH cancelled AS (
  UPDATE appointments a SET status = 'cancelled', cancelled_at = now()
  WHERE a.reference_hash = $1::bytea AND a.status = 'booked' AND a.erased_at IS NULL
    AND a.appointment_time > now() + make_interval(mins => (SELECT r.cancel_cutoff_minutes FROM doctor_rules(a.doctor_id, NULL) r))
  RETURNING a.id, appointment_json(a)::text AS body, appointment_event_data(a) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.cancelled.v1', $2::text, 'appointments/' || c.id, c.event_data FROM cancelled c
)
SELECT body FROM cancelled
