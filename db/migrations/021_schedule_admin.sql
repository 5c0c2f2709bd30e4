-- Up Migration
-- A clinic runs its own schedule through the admin API (issue 11, functions/admin-schedule):
-- the app role may now write the schedule tables of migration 013, exactly as the API does,
-- and the database refuses what the API refuses, so a bug or a hand-written statement cannot
-- leave a schedule the slot query would read two ways.

-- The writes the admin API makes, and no more: doctors and appointment types are changed and
-- deactivated but never deleted (their appointments point at them); weekly hours, overrides,
-- time off and holidays are replaced or removed, never updated in place; the rules are rows
-- that are only ever updated (the clinic's) or upserted (a doctor's).
GRANT INSERT ON doctors, appointment_types, working_hours, schedule_overrides, time_off, clinic_holidays, doctor_booking_rules TO booking_app;
GRANT UPDATE (name, specialty, timezone, slot_minutes, active) ON doctors TO booking_app;
GRANT UPDATE (name, minutes, is_default, active) ON appointment_types TO booking_app;
GRANT UPDATE (min_notice_minutes, horizon_days, cancel_cutoff_minutes, reschedule_cutoff_minutes) ON booking_rules, doctor_booking_rules TO booking_app;
GRANT DELETE ON working_hours, schedule_overrides, time_off, clinic_holidays TO booking_app;

-- A doctor with appointments is never deleted: appointments.doctor_id (migration 001) already
-- refuses it (NO ACTION), and so does appointments.appointment_type_id for the doctor's types,
-- which a doctor's deletion would cascade to. The app role has no DELETE on doctors at all.

-- Two ranges of one doctor's weekday, or of one date, never overlap: the slot query would lay
-- the same slots twice. The times are put on one fixed date so a range is a tsrange ('24:00'
-- is the next midnight). A closed date (NULL times) is an unbounded range, so a date is either
-- closed or has hours, never both.
ALTER TABLE working_hours ADD CONSTRAINT working_hours_no_overlap
  EXCLUDE USING gist (doctor_id WITH =, weekday WITH =, tsrange(date '2000-01-03' + starts_at, date '2000-01-03' + ends_at) WITH &&);
ALTER TABLE schedule_overrides ADD CONSTRAINT schedule_overrides_no_overlap
  EXCLUDE USING gist (doctor_id WITH =, day WITH =, tsrange(day + starts_at, day + ends_at) WITH &&);

-- Whether a booked time [p_start, p_end) of a doctor is outside what the schedule now covers:
-- the doctor inactive, the date a holiday, the time touching time off, or not within one range
-- of the date's hours (its overrides if it has any, else its weekday's), read on the doctor's
-- wall clock. The admin API lists such appointments as `affected`; the guard below refuses a
-- booking that is one.
CREATE FUNCTION appointment_outside_schedule(p_doctor_id integer, p_start timestamptz, p_end timestamptz)
RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (
    SELECT 1
    FROM doctors d
    CROSS JOIN LATERAL (SELECT p_start AT TIME ZONE d.timezone AS local_start, p_end AT TIME ZONE d.timezone AS local_end) l
    CROSS JOIN LATERAL (SELECT l.local_start::date AS day) c
    WHERE d.id = p_doctor_id AND d.active
      AND NOT EXISTS (SELECT 1 FROM clinic_holidays h WHERE h.day = c.day)
      AND NOT EXISTS (SELECT 1 FROM time_off x WHERE x.doctor_id = p_doctor_id AND x.during && tstzrange(p_start, p_end))
      AND EXISTS (
        SELECT 1 FROM (
          SELECT o.starts_at, o.ends_at FROM schedule_overrides o
          WHERE o.doctor_id = p_doctor_id AND o.day = c.day AND o.starts_at IS NOT NULL
          UNION ALL
          SELECT w.starts_at, w.ends_at FROM working_hours w
          WHERE w.doctor_id = p_doctor_id AND w.weekday = extract(isodow FROM c.day)
            AND NOT EXISTS (SELECT 1 FROM schedule_overrides o WHERE o.doctor_id = p_doctor_id AND o.day = c.day)
        ) r
        WHERE l.local_start >= c.day + r.starts_at AND l.local_end <= c.day + r.ends_at))
$$;

-- When the admin API last changed a doctor's schedule (doctor_id 0: every doctor's, a holiday).
CREATE TABLE schedule_changes (
  doctor_id  integer     PRIMARY KEY CHECK (doctor_id >= 0),
  changed_at timestamptz NOT NULL
);

-- Hours edited while bookings race. A booking statement reads the schedule in the snapshot it
-- started with, then waits for the doctor's lock (appointments/create.sql, reschedule.sql);
-- an admin write takes the same lock, changes the schedule and lists the appointments it no
-- longer covers before it commits. A booking that got the lock first is committed before the
-- admin's list is made, so it is listed; one that waited behind the admin would insert with
-- the schedule it read before the change, listed by nobody. This trigger runs after the lock
-- is granted and reads the schedule afresh (a PL/pgSQL query takes a new snapshot in READ
-- COMMITTED), refusing such a booking as a lost race (23P01, as the double-booking guard, so
-- the booking path answers 409 slot_taken). Only a doctor whose schedule the API changed in
-- the last five minutes pays for the check: a booking statement runs for at most
-- statement_timeout (10 s), so an older change was committed before it started.
CREATE FUNCTION appointment_within_current_schedule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'booked'
     AND EXISTS (SELECT 1 FROM schedule_changes c WHERE c.doctor_id IN (0, NEW.doctor_id) AND c.changed_at > statement_timestamp() - interval '5 minutes')
     AND appointment_outside_schedule(NEW.doctor_id, NEW.appointment_time, NEW.end_time) THEN
    RAISE EXCEPTION 'the schedule changed while this booking was made; the time is no longer offered'
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'appointments_within_current_schedule';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER appointments_within_current_schedule BEFORE INSERT OR UPDATE OF appointment_time, end_time ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointment_within_current_schedule();

GRANT SELECT, INSERT, UPDATE ON schedule_changes TO booking_app;

-- Down Migration
DROP TRIGGER appointments_within_current_schedule ON appointments;
DROP FUNCTION appointment_within_current_schedule();
DROP TABLE schedule_changes;
DROP FUNCTION appointment_outside_schedule(integer, timestamptz, timestamptz);
ALTER TABLE schedule_overrides DROP CONSTRAINT schedule_overrides_no_overlap;
ALTER TABLE working_hours DROP CONSTRAINT working_hours_no_overlap;
REVOKE DELETE ON working_hours, schedule_overrides, time_off, clinic_holidays FROM booking_app;
REVOKE UPDATE (min_notice_minutes, horizon_days, cancel_cutoff_minutes, reschedule_cutoff_minutes) ON booking_rules, doctor_booking_rules FROM booking_app;
REVOKE UPDATE (name, minutes, is_default, active) ON appointment_types FROM booking_app;
REVOKE UPDATE (name, specialty, timezone, slot_minutes, active) ON doctors FROM booking_app;
REVOKE INSERT ON doctors, appointment_types, working_hours, schedule_overrides, time_off, clinic_holidays, doctor_booking_rules FROM booking_app;
