/* The bucket's count in its current window without adding to it; no row when it has none. $1 bucket, $2 window in seconds */
SELECT hits, greatest(1, ceil(extract(epoch FROM expires_at - now())))::integer AS retry_after
FROM rate_limits
WHERE bucket = $1::bytea AND window_start = to_timestamp(floor(extract(epoch FROM now()) / $2::integer) * $2::integer)
