/* Count one hit in each bucket's current fixed window, in one statement (a booking counts its address and its contact together), and answer each bucket's count and the seconds until its window ends. The address comes first in every caller's list, so two callers never take the same rows' locks in opposite orders. $1 buckets (hashes, never the address or contact itself), $2 their windows in seconds, in the same order */
INSERT INTO rate_limits AS r (bucket, window_start, hits, expires_at)
SELECT l.bucket, w.start, 1, w.start + make_interval(secs => l.window_seconds)
FROM unnest($1::bytea[], $2::integer[]) AS l(bucket, window_seconds)
CROSS JOIN LATERAL (SELECT to_timestamp(floor(extract(epoch FROM now()) / l.window_seconds) * l.window_seconds) AS start) w
ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1
RETURNING bucket, hits, greatest(1, ceil(extract(epoch FROM expires_at - now())))::integer AS retry_after
