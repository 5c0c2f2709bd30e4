/* Readiness: the server answers, and whether it would refuse writes (a standby, or read-only by setting) */
SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS read_only
