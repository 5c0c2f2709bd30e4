-- Up Migration
-- Patient data at rest (issue 16). A dump of the database must hold no patient's key and no
-- contact detail in clear, and nothing may keep a patient's name for ever.

-- The reference is the patient's bearer key: 128 random bits. Only its SHA-256 is kept, and a
-- lookup hashes what the client sends. A plain hash is enough because the input is random and
-- uniformly drawn: there is no dictionary to try, so neither a salt nor a slow hash adds anything.
ALTER TABLE appointments ADD COLUMN reference_hash bytea;
UPDATE appointments SET reference_hash = sha256(convert_to(reference, 'UTF8'));
ALTER TABLE appointments
  ALTER COLUMN reference_hash SET NOT NULL,
  ADD CONSTRAINT appointments_reference_hash_key UNIQUE (reference_hash),
  ADD CONSTRAINT appointments_reference_hash_length CHECK (octet_length(reference_hash) = 32);
-- Its UNIQUE index and CHECK go with it.
ALTER TABLE appointments DROP COLUMN reference;

-- E-mail and phone are sealed by the application (AES-256-GCM, functions/core/privacy/), one
-- ciphertext for both, with the id of the key that sealed it so keys can rotate. contact_index
-- is a keyed hash (HMAC) of the contact, so the cap on future bookings and an erasure can find
-- a patient's rows without decrypting them. patient_email/patient_phone stay only for rows
-- written before this migration: the app no longer writes them, and `npm run
-- rotate-patient-key` seals and empties what is left in them.
ALTER TABLE appointments
  ADD COLUMN patient_contact bytea,
  ADD COLUMN contact_key_id  text CHECK (contact_key_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  ADD COLUMN contact_index   bytea CHECK (octet_length(contact_index) = 32),
  -- Set when retention or an erasure removed the patient's name and contact.
  ADD COLUMN erased_at       timestamptz,
  ALTER COLUMN patient_name DROP NOT NULL,
  ADD CONSTRAINT appointments_contact_has_key CHECK ((patient_contact IS NULL) = (contact_key_id IS NULL)),
  ADD CONSTRAINT appointments_name_until_erased CHECK (patient_name IS NOT NULL OR erased_at IS NOT NULL);

CREATE INDEX appointments_by_contact ON appointments (contact_index, appointment_time) WHERE contact_index IS NOT NULL;
-- The retention run reads the oldest rows not yet erased.
CREATE INDEX appointments_not_erased ON appointments (appointment_time, id) WHERE erased_at IS NULL;
-- Key rotation walks the rows sealed under any key but the current one.
CREATE INDEX appointments_by_contact_key ON appointments (contact_key_id, id) WHERE contact_key_id IS NOT NULL;

-- The Appointment resource without the reference, which the server knows only when the client
-- sends it (a lookup, a cancellation) or when it has just made it (a booking); the functions
-- add it to the body. Contact fields stay out of it, as before.
CREATE OR REPLACE FUNCTION appointment_json(a appointments) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', a.id, 'patient_name', a.patient_name, 'doctor_id', a.doctor_id,
    'appointment_time', utc_iso(a.appointment_time), 'end_time', utc_iso(a.end_time),
    'status', a.status, 'created_at', utc_iso(a.created_at))
$$;

-- A replay of an idempotent booking answers the same reference, which is no longer in the
-- appointments row: the key keeps it sealed (AES-256-GCM, like the contact) for its 24 hours.
-- Keys remembered before this migration cannot be answered any more, so they are dropped: a
-- retry of one books again or meets slot_taken, it never gets another patient's booking.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys
  ADD COLUMN reference_sealed bytea NOT NULL,
  ADD COLUMN reference_key_id text  NOT NULL CHECK (reference_key_id ~ '^[A-Za-z0-9_-]{1,64}$');

-- Rate limits shared by every instance: one counter per (bucket, fixed window). The bucket is
-- a hash of the action and the client's address or contact, never the value itself. UNLOGGED:
-- a crash may forget the current windows, which costs nothing worth a WAL write per request.
CREATE UNLOGGED TABLE rate_limits (
  bucket       bytea       NOT NULL CHECK (octet_length(bucket) = 32),
  window_start timestamptz NOT NULL,
  hits         integer     NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_at);

-- Retention and erasure empty a patient's fields through this function only, so the app can
-- remove a name but never rewrite one (it has no UPDATE on patient_name).
CREATE FUNCTION erase_patient_data(p_ids bigint[]) RETURNS SETOF appointments
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE appointments
  SET patient_name = NULL, patient_email = NULL, patient_phone = NULL,
      patient_contact = NULL, contact_key_id = NULL, contact_index = NULL, erased_at = now()
  WHERE id = ANY (p_ids) AND erased_at IS NULL
  RETURNING *
$$;
REVOKE ALL ON FUNCTION erase_patient_data(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION erase_patient_data(bigint[]) TO booking_app;

-- Key rotation reseals the contact (and empties the clear columns of rows from before this
-- migration): exactly those columns, besides status and cancelled_at.
GRANT UPDATE (patient_contact, contact_key_id, contact_index, patient_email, patient_phone) ON appointments TO booking_app;
GRANT UPDATE (reference_sealed, reference_key_id) ON idempotency_keys TO booking_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limits TO booking_app;

-- Down Migration
-- The clear references were never kept, so there is nothing to go back to.
DO $$ BEGIN RAISE EXCEPTION '007_patient_data_at_rest cannot be reverted: clear references were never kept'; END $$;
