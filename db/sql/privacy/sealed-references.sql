/* Key rotation: live idempotency keys whose reference is sealed under a key other than $1 */
SELECT key, reference_sealed, reference_key_id FROM idempotency_keys WHERE reference_key_id <> $1::text
