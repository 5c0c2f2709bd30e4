/* Cancel a booked appointment with an optional reason and queue its event, unless a patient asks within the doctor's cancel cutoff (doctor_rules, db/migrations/013 and 025), checked in this statement on the locked row; no body when it is unknown, already cancelled or too close. $1 the reference's SHA-256, $2 event source, $3 reason or null, $4 true when the cutoff holds (a patient), false for staff, all sent apart from the text */
WITH target AS (
  SELECT a.id, a.status, r.cancel_cutoff_minutes AS cutoff_minutes,
         (NOT $4::boolean OR a.appointment_time > now() + make_interval(mins => r.cancel_cutoff_minutes)) AS cancellable
  FROM appointments a
  CROSS JOIN LATERAL doctor_rules(a.doctor_id, NULL) r
  WHERE a.reference_hash = $1::bytea AND a.erased_at IS NULL
  FOR UPDATE OF a
), cancelled AS (
  UPDATE appointments a SET status = 'cancelled', cancelled_at = now(), cancel_reason = $3::text
  FROM target t
  WHERE a.id = t.id AND t.status = 'booked' AND t.cancellable
  RETURNING a.id, appointment_json(a)::text AS body, appointment_event_data(a) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.cancelled.v1', $2::text, 'appointments/' || c.id, c.event_data FROM cancelled c
)
SELECT EXISTS (SELECT 1 FROM target) AS found,
       (SELECT id FROM target) AS id,
       (SELECT status FROM target) AS status,
       (SELECT cancellable FROM target) AS cancellable,
       (SELECT cutoff_minutes FROM target) AS cutoff_minutes,
       (SELECT body FROM cancelled) AS body
