/* Cancel a booked appointment with an optional reason and queue its event, unless it starts within the cutoff; no body when it is unknown, already cancelled or too close. $1 the reference's SHA-256, $2 event source, $3 reason or null, $4 cutoff in hours or null (staff: none), all sent apart from the text */
WITH target AS (
  SELECT a.id, a.status, ($4::integer IS NULL OR a.appointment_time > now() + make_interval(hours => $4::integer)) AS cancellable
  FROM appointments a
  WHERE a.reference_hash = $1::bytea AND a.erased_at IS NULL
  FOR UPDATE
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
       (SELECT status FROM target) AS status,
       (SELECT cancellable FROM target) AS cancellable,
       (SELECT body FROM cancelled) AS body
