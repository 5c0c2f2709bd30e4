/* One appointment by id for staff; the patient's contact (sealed, or clear in a row from before migration 007) only when withContact, opened by the application; its doctor comes back apart so a clinician's scope is checked before anything is shown */
SELECT a.doctor_id,
       appointment_json(a)::text AS body,
       CASE WHEN ${withContact}::boolean THEN a.patient_contact END AS patient_contact,
       CASE WHEN ${withContact}::boolean THEN a.contact_key_id END AS contact_key_id,
       CASE WHEN ${withContact}::boolean THEN a.patient_email END AS patient_email,
       CASE WHEN ${withContact}::boolean THEN a.patient_phone END AS patient_phone
FROM appointments a
WHERE a.id = ${id}::bigint
