-- Up Migration
-- A booking in one round trip (issue 15), and a cheaper one. Two functions the booking
-- statement calls in place of work it did before, and the statement itself as a function:
--
-- schedule_slot_at: the booking asked schedule_slots for the doctor's whole day and kept the
-- one slot that starts at the requested time. This answers that one slot, or nothing, by the
-- same rules (migration 013): an active doctor and type, no holiday that day, a range of the
-- date's overrides if it has any or else of the weekday's hours, the time on that range's grid
-- of the type's length, a wall-clock time that exists (a skipped one is no slot; a repeated one
-- is the instant schedule_slots offers), ending on the wall clock within the range, touching
-- no time off. test/bench/slot-at.test.ts checks it against schedule_slots.
CREATE FUNCTION schedule_slot_at(p_doctor_id integer, p_start timestamptz, p_type_id integer)
RETURNS TABLE (slot_start timestamptz, slot_end timestamptz, appointment_type_id integer)
LANGUAGE sql STABLE AS $$
  WITH doctor AS (
    SELECT d.timezone, l.local_start, l.local_start::date AS day
    FROM doctors d
    CROSS JOIN LATERAL (SELECT p_start AT TIME ZONE d.timezone AS local_start) l
    WHERE d.id = p_doctor_id AND d.active
  ), kind AS (
    SELECT t.id, t.minutes, make_interval(mins => t.minutes) AS length FROM appointment_types t
    WHERE t.doctor_id = p_doctor_id AND t.active AND (t.id = p_type_id OR (p_type_id IS NULL AND t.is_default))
  )
  SELECT p_start, p_start + k.length, k.id
  FROM doctor d CROSS JOIN kind k
  WHERE d.local_start AT TIME ZONE d.timezone = p_start
    AND NOT EXISTS (SELECT 1 FROM clinic_holidays h WHERE h.day = d.day)
    AND EXISTS (
      SELECT 1 FROM (
        SELECT o.starts_at, o.ends_at FROM schedule_overrides o
        WHERE o.doctor_id = p_doctor_id AND o.day = d.day AND o.starts_at IS NOT NULL
        UNION ALL
        SELECT w.starts_at, w.ends_at FROM working_hours w
        WHERE w.doctor_id = p_doctor_id AND w.weekday = extract(isodow FROM d.day)
          AND NOT EXISTS (SELECT 1 FROM schedule_overrides o WHERE o.doctor_id = p_doctor_id AND o.day = d.day)
      ) r
      WHERE d.local_start >= d.day + r.starts_at
        AND d.local_start <= d.day + r.ends_at - k.length
        AND extract(epoch FROM d.local_start - (d.day + r.starts_at)) % (k.minutes * 60) = 0
        AND (p_start + k.length) AT TIME ZONE d.timezone <= d.day + r.ends_at)
    AND NOT EXISTS (
      SELECT 1 FROM time_off x
      WHERE x.doctor_id = p_doctor_id AND x.during && tstzrange(p_start, p_start + k.length))
$$;

-- contact_over_cap: the cap on future bookings per contact was counted in the create statement
-- after a separate statement had taken the contact's lock (a statement's snapshot is taken when
-- it starts, so a count in the same statement would miss a booking that committed while it
-- waited). A VOLATILE function's queries each take a new snapshot, so here the lock and the
-- count are one call: the count sees every booking of the contact committed before the lock
-- was granted, and the lock is held to the end of the booking's transaction.
CREATE FUNCTION contact_over_cap(p_lock_index bytea, p_indexes bytea[], p_cap integer)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF p_indexes IS NULL THEN
    RETURN false;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('contact:' || encode(p_lock_index, 'hex'), 0));
  RETURN (
    SELECT count(*) FROM appointments a
    WHERE a.contact_index = ANY (p_indexes) AND a.status = 'booked' AND a.appointment_time > now()
  ) >= p_cap;
END
$$;

-- book_appointment: the booking statement itself (db/sql/appointments/create.sql calls it).
-- Sent from the client, the statement was planned afresh on every booking, and with the SQL
-- functions it inlines that planning cost more than running it (11 to 40 ms against about 1
-- ms, EXPLAIN ANALYZE on the bench's data set). In PL/pgSQL the plan is kept by the session
-- and reused, with no named prepared statement on the client, so it also works through a
-- transaction-mode pooler. What it does is create.sql's former statement, unchanged: the
-- comments below are that statement's.
CREATE FUNCTION book_appointment(
  p_reference_hash bytea, p_patient_name text, p_contact bytea, p_contact_key_id text, p_doctor_id integer,
  p_time timestamptz, p_source text, p_horizon_days integer, p_contact_index bytea, p_contact_indexes bytea[],
  p_cap integer, p_reference_sealed bytea, p_reference_key_id text, p_type_id integer)
RETURNS TABLE (out_doctor_exists boolean, out_taken boolean, out_over_cap boolean, out_id bigint, out_body text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN QUERY
  WITH over_cap AS (
    -- Takes the contact's lock, then counts in a snapshot of its own (contact_over_cap, above),
    -- so parallel bookings of one contact cannot all pass the cap.
    SELECT contact_over_cap(p_contact_index, p_contact_indexes, p_cap) AS over_cap
  ), doctor AS (
    SELECT id, timezone FROM doctors WHERE id = p_doctor_id
  ), slot AS (
    -- The one candidate slot by the rules of db/migrations/013, as the slot listing applies them.
    SELECT s.slot_start, s.slot_end, s.appointment_type_id
    FROM doctor d
    CROSS JOIN LATERAL schedule_slot_at(d.id, p_time, p_type_id) s
    WHERE slot_within_rules(d.id, s.slot_start, p_horizon_days, now())
  ), taken AS (
    -- A slot already booked is answered without inserting: no dead row, no wait in the exclusion check.
    SELECT EXISTS (
      SELECT 1 FROM slot s JOIN appointments a
        ON a.doctor_id = p_doctor_id AND a.status = 'booked'
       AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end)
    ) AS taken
  ), one_at_a_time AS (
    -- Two uncommitted overlapping inserts wait on each other in the exclusion check until the
    -- deadlock detector aborts one (40P01, after deadlock_timeout); one insert per doctor at a
    -- time means a loser only ever meets a committed row and fails at once with 23P01.
    SELECT pg_advisory_xact_lock(hashtextextended('booking:' || p_doctor_id, 0)) FROM slot, taken, over_cap
    WHERE NOT taken.taken AND NOT over_cap.over_cap
  ), booked AS (
    INSERT INTO appointments (reference_hash, patient_name, patient_contact, contact_key_id, contact_index, doctor_id, appointment_time, end_time, appointment_type_id)
    SELECT p_reference_hash, p_patient_name, p_contact, p_contact_key_id, p_contact_index, p_doctor_id, slot_start, slot_end, appointment_type_id FROM slot, one_at_a_time
    RETURNING id, appointment_json(appointments)::text AS body, appointment_event_data(appointments) AS event_data
  ), linked AS (
    -- The notifier's way to the manage link (db/migrations/009): sealed, never in clear.
    INSERT INTO appointment_links (appointment_id, reference_sealed, reference_key_id)
    SELECT b.id, p_reference_sealed, p_reference_key_id FROM booked b WHERE p_reference_sealed IS NOT NULL
  ), queued AS (
    INSERT INTO outbox (type, source, subject, data)
    SELECT 'health.booking.appointment.booked.v1', p_source, 'appointments/' || b.id, b.event_data FROM booked b
  )
  SELECT EXISTS (SELECT 1 FROM doctor),
         (SELECT t.taken FROM taken t),
         (SELECT c.over_cap FROM over_cap c),
         (SELECT b.id FROM booked b),
         (SELECT b.body FROM booked b);
END
$$;

-- Down Migration
DROP FUNCTION book_appointment(bytea, text, bytea, text, integer, timestamptz, text, integer, bytea, bytea[], integer, bytea, text, integer);
DROP FUNCTION contact_over_cap(bytea, bytea[], integer);
DROP FUNCTION schedule_slot_at(integer, timestamptz, integer);
