/* The sink accepted these events */
UPDATE outbox SET sent_at = clock_timestamp() WHERE id IN (${ids:csv}) AND sent_at IS NULL
