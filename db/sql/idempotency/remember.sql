/* Remember which appointment a key made; replaces only a key older than 24 hours, so a live key is never overwritten */
INSERT INTO idempotency_keys (key, request_hash, appointment_id, reference_sealed, reference_key_id)
VALUES (${key}, ${requestHash}, ${appointmentId}, ${referenceSealed}, ${referenceKeyId})
ON CONFLICT (key) DO UPDATE
  SET request_hash = EXCLUDED.request_hash, appointment_id = EXCLUDED.appointment_id,
      reference_sealed = EXCLUDED.reference_sealed, reference_key_id = EXCLUDED.reference_key_id, created_at = now()
  WHERE idempotency_keys.created_at <= now() - interval '24 hours'
RETURNING key
