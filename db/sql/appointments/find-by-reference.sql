/* One appointment by the SHA-256 of its reference ($1, sent apart from the text), as the Appointment body without the reference; an erased appointment is not found */
SELECT appointment_json(a)::text AS body FROM appointments a WHERE a.reference_hash = $1::bytea AND a.erased_at IS NULL
