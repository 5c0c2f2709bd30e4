/* Book a slot and queue its event in one statement: inserts only when the time is one of the doctor's future slots */
WITH doctor AS (
  SELECT id, timezone FROM doctors WHERE id = ${doctorId}
), slot AS (
  SELECT s.slot_start, s.slot_end
  FROM doctor d
  CROSS JOIN LATERAL doctor_slots(d.id, (${appointmentTime}::timestamptz AT TIME ZONE d.timezone)::date) s
  WHERE s.slot_start = ${appointmentTime}::timestamptz AND s.slot_start > now()
), booked AS (
  INSERT INTO appointments (reference, patient_name, patient_email, patient_phone, doctor_id, appointment_time, end_time)
  SELECT ${reference}, ${patientName}, ${patientEmail}, ${patientPhone}, ${doctorId}, slot_start, slot_end FROM slot
  RETURNING id, appointment_json(appointments)::text AS body, appointment_event_data(appointments) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.booked.v1', ${source}, 'appointments/' || b.id, b.event_data FROM booked b
)
SELECT EXISTS (SELECT 1 FROM doctor) AS doctor_exists,
       (SELECT id FROM booked) AS id,
       (SELECT body FROM booked) AS body
