/* Take the key's transaction lock without waiting: false while another request holds it */
SELECT pg_try_advisory_xact_lock(hashtextextended('idempotency:' || ${key}, 0)) AS locked
