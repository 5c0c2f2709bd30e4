-- Up Migration
-- A booking in one round trip (issue 15). Two functions the create statement calls in place
-- of work it did before:
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

-- Down Migration
DROP FUNCTION contact_over_cap(bytea, bytea[], integer);
DROP FUNCTION schedule_slot_at(integer, timestamptz, integer);
