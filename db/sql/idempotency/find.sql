/* A key used within the last 24 hours, with the appointment its first request made and that booking's reference, sealed */
SELECT k.request_hash, k.reference_sealed, k.reference_key_id, appointment_json(a)::text AS body
FROM idempotency_keys k JOIN appointments a ON a.id = k.appointment_id
WHERE k.key = ${key} AND k.created_at > now() - interval '24 hours'
