/* Retention: remove the patient's name and contact from up to $2 appointments that began over $1 days ago, keeping doctor, times and status for statistics, with one audit line and one event each (no patient data). $3 the audit line's source */
WITH due AS (
  SELECT array_agg(id) AS ids FROM (
    SELECT id FROM appointments
    WHERE erased_at IS NULL AND appointment_time < now() - make_interval(days => $1::integer)
    ORDER BY appointment_time, id
    LIMIT $2::integer
  ) d
), erased AS (
  SELECT e.* FROM due CROSS JOIN LATERAL erase_patient_data(due.ids) e WHERE due.ids IS NOT NULL
), stamped AS (
  -- One event id for the audit line and the event, so the audit consumer, receiving the event,
  -- finds its (source, id) already recorded and adds nothing.
  SELECT e.id, gen_random_uuid() AS event_id, appointment_event_data(e) || jsonb_build_object('reason', 'retention', 'retention_days', $1::integer) AS data FROM erased e
), queued AS (
  INSERT INTO outbox (event_id, type, source, subject, data)
  SELECT s.event_id, 'health.booking.patient-data.erased.v1', $3::text, 'appointments/' || s.id, s.data - 'by' FROM stamped s
), audited AS (
  INSERT INTO audit_log (event_source, event_id, event_type, subject, event_time, appointment_id, data)
  SELECT $3::text, s.event_id::text, 'health.booking.patient-data.erased.v1', 'appointments/' || s.id, now(), s.id, s.data
  FROM stamped s
)
SELECT count(*)::integer AS erased FROM erased
