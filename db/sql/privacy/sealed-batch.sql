/* Key rotation: the next $2 appointments after id $3 whose contact is sealed under a key other than $1, or still in clear from before migration 007 */
SELECT id, patient_contact, contact_key_id, patient_email, patient_phone
FROM appointments
WHERE id > $3::bigint AND erased_at IS NULL
  AND ((contact_key_id IS NOT NULL AND contact_key_id <> $1::text) OR patient_email IS NOT NULL OR patient_phone IS NOT NULL)
ORDER BY id
LIMIT $2::integer
