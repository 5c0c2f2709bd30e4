/* What a notice needs of appointments by id ($1, an array): the sealed contact and reference, the doctor and the time zone its times are shown in; erased appointments are left out */
SELECT a.id::text AS id, a.status, a.revision, a.patient_name,
       utc_iso(a.appointment_time) AS appointment_time, utc_iso(a.end_time) AS end_time,
       a.patient_contact, a.contact_key_id, d.name AS doctor_name, d.timezone,
       l.reference_sealed, l.reference_key_id
FROM appointments a
JOIN doctors d ON d.id = a.doctor_id
LEFT JOIN appointment_links l ON l.appointment_id = a.id
WHERE a.id = ANY ($1::bigint[]) AND a.erased_at IS NULL
