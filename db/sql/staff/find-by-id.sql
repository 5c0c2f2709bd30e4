/* One appointment by id for staff, with the patient's e-mail and phone only when withContact; its doctor comes back apart so a clinician's scope is checked before anything is shown */
SELECT a.doctor_id,
       CASE WHEN ${withContact}::boolean
            THEN (appointment_json(a)::jsonb || jsonb_build_object('patient_email', a.patient_email, 'patient_phone', a.patient_phone))::text
            ELSE appointment_json(a)::text END AS body
FROM appointments a
WHERE a.id = ${id}::bigint
