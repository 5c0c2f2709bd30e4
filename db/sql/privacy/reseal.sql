/* Key rotation: store one appointment's contact sealed under the current key, and empty its clear columns; only if it has not been erased meanwhile. $1 id, $2 sealed contact, $3 key id, $4 contact index */
UPDATE appointments
SET patient_contact = $2::bytea, contact_key_id = $3::text, contact_index = $4::bytea, patient_email = NULL, patient_phone = NULL
WHERE id = $1::bigint AND erased_at IS NULL
