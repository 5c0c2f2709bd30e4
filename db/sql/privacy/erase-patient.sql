/* Erasure on request: remove the name and contact of the patient of appointment $1 from it and from every appointment with the same contact index, with one audit line each naming the staff member ($3, their subject) and one event each without them; neither names the patient. $2 the audit line's source */
WITH target AS (
  SELECT id, contact_index FROM appointments WHERE id = $1::bigint
), matching AS (
  SELECT array_agg(a.id) AS ids
  FROM target t JOIN appointments a ON a.id = t.id OR (t.contact_index IS NOT NULL AND a.contact_index = t.contact_index)
), erased AS (
  SELECT e.* FROM matching m CROSS JOIN LATERAL erase_patient_data(m.ids) e WHERE m.ids IS NOT NULL
), stamped AS (
  -- One event id for the audit line and the event, so the audit consumer, receiving the event,
  -- finds its (source, id) already recorded and adds nothing.
  SELECT e.id, gen_random_uuid() AS event_id, appointment_event_data(e) || jsonb_build_object('reason', 'request', 'requested_on', $1::bigint, 'by', $3::text) AS data FROM erased e
), queued AS (
  INSERT INTO outbox (event_id, type, source, subject, data)
  SELECT s.event_id, 'health.booking.patient-data.erased.v1', $2::text, 'appointments/' || s.id, s.data - 'by' FROM stamped s
), audited AS (
  INSERT INTO audit_log (event_source, event_id, event_type, subject, event_time, appointment_id, data)
  SELECT $2::text, s.event_id::text, 'health.booking.patient-data.erased.v1', 'appointments/' || s.id, now(), s.id, s.data
  FROM stamped s
)
SELECT EXISTS (SELECT 1 FROM target) AS found, (SELECT count(*) FROM erased)::integer AS erased
