/* Notes the change for the booking guard of db/migrations/021 (doctor 0: every doctor) and queues its event, health.booking.schedule.changed.v1, whose data names the doctor (null: every doctor) and what changed, never a patient */
WITH marked AS (
  INSERT INTO schedule_changes (doctor_id, changed_at) VALUES (coalesce(${doctorId}::integer, 0), clock_timestamp())
  ON CONFLICT (doctor_id) DO UPDATE SET changed_at = excluded.changed_at
)
INSERT INTO outbox (type, source, subject, data)
VALUES ('health.booking.schedule.changed.v1', ${source}::text,
        CASE WHEN ${doctorId}::integer IS NULL THEN 'clinic' ELSE 'doctors/' || ${doctorId}::integer END,
        jsonb_build_object('doctor_id', ${doctorId}::integer, 'change', ${change}::text))
