/* The patient contacts of a listing page's appointments (sealed, or clear in rows from before migration 007), for a role that may see them; opened by the application */
SELECT a.id::text AS id, a.patient_contact, a.contact_key_id, a.patient_email, a.patient_phone
FROM appointments a
WHERE a.id = ANY (${ids}::bigint[])
