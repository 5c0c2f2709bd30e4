/* One appointment by the SHA-256 of its reference ($1, sent apart from the text), as the Appointment body without the reference; an erased appointment is not found. With a rate-limit bucket ($2, a hash of the client's address; null: limits off) the lookup counts its hit in the same statement (rate_limit_hit, db/migrations/026) and reads nothing once the window's hits pass $4; $3 the window in seconds */
SELECT h.hits, h.retry_after,
       CASE WHEN h.hits IS NULL OR h.hits <= $4::integer THEN (
         SELECT appointment_json(a)::text FROM appointments a WHERE a.reference_hash = $1::bytea AND a.erased_at IS NULL
       ) END AS body
FROM (SELECT 1) one
LEFT JOIN LATERAL (SELECT * FROM rate_limit_hit($2::bytea, $3::integer) WHERE $2::bytea IS NOT NULL) h ON true
