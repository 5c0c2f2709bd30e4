/* Move a booked appointment to another slot of its doctor and its appointment type, and queue its event, in one statement: same row, same id, reference and type (so the same length), new time; the old time is free when it commits. The new time must be one of schedule_slots that slot_within_rules allows (min notice, horizon, holidays, time off, breaks: db/migrations/013), and a patient must ask before the doctor's reschedule cutoff (doctor_rules, db/migrations/025), checked here on the locked row. Positional parameters, sent apart from the text: $1 the reference's SHA-256, $2 new time, $3 event source, $4 horizon in days (BOOKING_HORIZON_DAYS, for a clinic horizon of NULL), $5 true when the cutoff holds (a patient), false for staff */
WITH target AS (
  SELECT a.id, a.doctor_id, a.appointment_type_id, a.status, a.appointment_time, a.end_time, a.revision, d.timezone,
         r.reschedule_cutoff_minutes AS cutoff_minutes,
         (NOT $5::boolean OR a.appointment_time > now() + make_interval(mins => r.reschedule_cutoff_minutes)) AS movable
  FROM appointments a
  JOIN doctors d ON d.id = a.doctor_id
  CROSS JOIN LATERAL doctor_rules(a.doctor_id, $4::integer) r
  WHERE a.reference_hash = $1::bytea AND a.erased_at IS NULL
  FOR UPDATE OF a
), slot AS (
  SELECT s.slot_start, s.slot_end
  FROM target t
  CROSS JOIN LATERAL schedule_slots(t.doctor_id, ($2::timestamptz AT TIME ZONE t.timezone)::date, t.appointment_type_id) s
  WHERE t.status = 'booked' AND t.movable
    AND s.slot_start = $2::timestamptz AND slot_within_rules(t.doctor_id, s.slot_start, $4::integer, now())
), taken AS (
  SELECT EXISTS (
    SELECT 1 FROM slot s JOIN target t ON true JOIN appointments a
      ON a.doctor_id = t.doctor_id AND a.status = 'booked' AND a.id <> t.id
     AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end)
  ) AS taken
), one_at_a_time AS (
  -- The same per-doctor lock as appointments/create.sql: a loser meets a committed row and
  -- fails at once with 23P01 instead of waiting on an uncommitted one until a deadlock is found.
  SELECT pg_advisory_xact_lock(hashtextextended('booking:' || t.doctor_id, 0)) FROM target t, slot, taken
  WHERE NOT taken.taken
), moved AS (
  UPDATE appointments a SET appointment_time = s.slot_start, end_time = s.slot_end, revision = a.revision + 1
  FROM slot s, one_at_a_time, target t
  WHERE a.id = t.id
  RETURNING a.id, a.revision, appointment_json(a)::text AS body, appointment_event_data(a) AS event_data
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.rescheduled.v1', $3::text, 'appointments/' || m.id,
         m.event_data || jsonb_build_object(
           'previous_appointment_time', utc_iso(t.appointment_time),
           'previous_end_time', utc_iso(t.end_time),
           'sequence', m.revision)
  FROM moved m, target t
)
SELECT EXISTS (SELECT 1 FROM target) AS found,
       (SELECT id FROM target) AS id,
       (SELECT status FROM target) AS status,
       (SELECT movable FROM target) AS movable,
       (SELECT cutoff_minutes FROM target) AS cutoff_minutes,
       (SELECT doctor_id FROM target) AS doctor_id,
       (SELECT appointment_type_id FROM target) AS appointment_type_id,
       (SELECT taken FROM taken) AS taken,
       (SELECT body FROM moved) AS body
