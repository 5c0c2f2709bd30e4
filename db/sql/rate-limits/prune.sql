/* Drop windows that have ended, a batch at a time */
DELETE FROM rate_limits
WHERE ctid IN (SELECT ctid FROM rate_limits WHERE expires_at <= now() LIMIT 5000)
