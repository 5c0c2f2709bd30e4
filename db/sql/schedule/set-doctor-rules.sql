/* Replaces a doctor's own booking rules; a null field takes the clinic's */
INSERT INTO doctor_booking_rules (doctor_id, min_notice_minutes, horizon_days, cancel_cutoff_minutes, reschedule_cutoff_minutes)
VALUES (${doctorId}::integer, ${min_notice_minutes}::integer, ${horizon_days}::integer, ${cancel_cutoff_minutes}::integer, ${reschedule_cutoff_minutes}::integer)
ON CONFLICT (doctor_id) DO UPDATE
SET min_notice_minutes = excluded.min_notice_minutes, horizon_days = excluded.horizon_days,
    cancel_cutoff_minutes = excluded.cancel_cutoff_minutes, reschedule_cutoff_minutes = excluded.reschedule_cutoff_minutes
