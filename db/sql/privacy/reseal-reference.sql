/* Key rotation: one idempotency key's reference sealed under the current key. $1 key, $2 sealed reference, $3 key id */
UPDATE idempotency_keys SET reference_sealed = $2::bytea, reference_key_id = $3::text WHERE key = $1::text
