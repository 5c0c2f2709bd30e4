/* Count one hit in the bucket's current fixed window and answer the window's count and the seconds until it ends (rate_limit_hit, db/migrations/026). $1 bucket (a hash, never the address or contact itself), $2 window in seconds */
SELECT hits, retry_after FROM rate_limit_hit($1::bytea, $2::integer)
