/* Replaces the clinic's booking rules (its one row) */
UPDATE booking_rules
SET min_notice_minutes = ${min_notice_minutes}::integer, horizon_days = ${horizon_days}::integer,
    cancel_cutoff_minutes = ${cancel_cutoff_minutes}::integer, reschedule_cutoff_minutes = ${reschedule_cutoff_minutes}::integer
