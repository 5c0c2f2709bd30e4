/* The clinic's booking rules as the BookingRules body (horizon_days null: BOOKING_HORIZON_DAYS) */
SELECT json_build_object('min_notice_minutes', r.min_notice_minutes, 'horizon_days', r.horizon_days,
                         'cancel_cutoff_minutes', r.cancel_cutoff_minutes, 'reschedule_cutoff_minutes', r.reschedule_cutoff_minutes)::text AS body
FROM booking_rules r
