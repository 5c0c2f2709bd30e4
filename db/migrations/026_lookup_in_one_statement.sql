-- Up Migration
-- A patient's lookup by reference counted its rate-limit hit in a statement of its own before
-- the read: two round trips where the read alone is one (issue 15). The hit is now a function
-- the lookup statement calls (db/sql/appointments/find-by-reference.sql), and the single hit
-- (db/sql/rate-limits/hit.sql) calls the same one, so the window arithmetic is written once.
-- rate_limits is UNLOGGED: the hit writes no WAL, so the lookup's commit waits for no flush.
CREATE FUNCTION rate_limit_hit(p_bucket bytea, p_window_seconds integer)
RETURNS TABLE (hits integer, retry_after integer)
LANGUAGE sql VOLATILE AS $$
  INSERT INTO rate_limits AS r (bucket, window_start, hits, expires_at)
  SELECT p_bucket, w.start, 1, w.start + make_interval(secs => p_window_seconds)
  FROM (SELECT to_timestamp(floor(extract(epoch FROM now()) / p_window_seconds) * p_window_seconds) AS start) w
  ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1
  RETURNING r.hits, greatest(1, ceil(extract(epoch FROM r.expires_at - now())))::integer
$$;

-- Down Migration
DROP FUNCTION rate_limit_hit(bytea, integer);
