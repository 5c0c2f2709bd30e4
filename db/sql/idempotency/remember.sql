/* Remember which appointment a key made; replaces only a key older than 24 hours, so a live key is never overwritten */
INSERT INTO idempotency_keys (key, request_hash, appointment_id)
VALUES (${key}, ${requestHash}, ${appointmentId})
ON CONFLICT (key) DO UPDATE
  SET request_hash = EXCLUDED.request_hash, appointment_id = EXCLUDED.appointment_id, created_at = now()
  WHERE idempotency_keys.created_at <= now() - interval '24 hours'
RETURNING key
