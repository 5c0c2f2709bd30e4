/* How many rows each key has sealed, and how many still hold a contact in clear: what a rotation must reach zero on */
SELECT 'appointments' AS what, contact_key_id AS key_id, count(*)::integer AS n FROM appointments WHERE contact_key_id IS NOT NULL GROUP BY contact_key_id
UNION ALL
SELECT 'idempotency_keys', reference_key_id, count(*)::integer FROM idempotency_keys GROUP BY reference_key_id
UNION ALL
SELECT 'clear_contact', NULL, count(*)::integer FROM appointments WHERE patient_email IS NOT NULL OR patient_phone IS NOT NULL
