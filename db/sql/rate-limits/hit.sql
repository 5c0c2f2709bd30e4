/* Count one hit in the bucket's current fixed window and answer the window's count and the seconds until it ends. $1 bucket (a hash, never the address or contact itself), $2 window in seconds */
INSERT INTO rate_limits AS r (bucket, window_start, hits, expires_at)
SELECT $1::bytea, w.start, 1, w.start + make_interval(secs => $2::integer)
FROM (SELECT to_timestamp(floor(extract(epoch FROM now()) / $2::integer) * $2::integer) AS start) w
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1
RETURNING hits, greatest(1, ceil(extract(epoch FROM expires_at - now())))::integer AS retry_after
