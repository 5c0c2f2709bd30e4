/* The sink refused these events or could not be reached: try again after an exponential, capped, jittered delay */
UPDATE outbox
SET attempts = attempts + 1,
    next_attempt_at = clock_timestamp() + make_interval(secs =>
      least(${capSeconds}::float8, ${baseSeconds}::float8 * power(2, least(attempts, 30)))
      * (0.5 + random() * 0.5))
WHERE id IN (${ids:csv}) AND sent_at IS NULL
RETURNING id, attempts
