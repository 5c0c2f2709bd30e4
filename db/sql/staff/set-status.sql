/* Moves a visit on and queues its event (no patient data) in one statement; the same status again changes nothing and queues nothing. The trigger of migration 005 refuses a transition it does not allow (SQLSTATE 23514, constraint appointments_status_transition) */
WITH changed AS (
  UPDATE appointments a
  SET status = ${status}::text,
      status_changed_at = now(),
      cancelled_at = CASE WHEN ${status}::text = 'cancelled' THEN now() ELSE a.cancelled_at END
  WHERE a.id = ${id}::bigint AND a.status <> ${status}::text
  RETURNING a.id, appointment_json(a)::text AS body, appointment_event_data(a) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.' || ${status}::text || '.v1', ${source}::text, 'appointments/' || c.id, c.event_data FROM changed c
)
SELECT coalesce((SELECT body FROM changed), (SELECT appointment_json(a)::text FROM appointments a WHERE a.id = ${id}::bigint)) AS body
