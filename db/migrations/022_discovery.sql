-- Up Migration
-- Discovery (issue 11): a doctor's free, bookable slots over a run of calendar days of their own
-- clock, for "first available" (GET /api/availability) and a month's days
-- (GET /api/doctors/{id}/days). Free means what db/sql/doctors/slots.sql lists as available:
-- schedule_slots, slot_within_rules true, and no booked appointment overlapping.
--
-- Why a function rather than one SELECT (measured by scripts/measure/schedule-queries.ts with
-- 100,000 appointments): "the first 3 by start" over 62 days in plain SQL must generate and
-- check every slot of every day before it can sort them (1.7 s across the demo's 12 doctors);
-- this walks the days in order and stops once it has p_count, and looks the doctor's booked
-- ranges up a week at a time (one index probe, a multirange in memory) instead of once a slot. Walking day by day is in order because every slot of a local day starts before the
-- next local day's midnight, so before any slot of that day.
--
-- The booking rules are slot_within_rules' own test, on the same doctor_rules, with its bounds
-- computed once for the run: called per slot, that SQL function (not inlinable, as it reads a
-- table) cost ten times what generating the slot did. test/schedule/discovery.test.ts checks
-- this function against schedule_slots + slot_within_rules + the overlap test of slots.sql,
-- either side of the notice and horizon bounds, so the two cannot drift apart unseen. Days
-- wholly before the earliest bookable instant or after the horizon are not visited at all.
-- p_now is a parameter, as in slot_within_rules; the queries pass now(). p_count NULL returns
-- every free slot of the run.
CREATE FUNCTION bookable_slots(
  p_doctor_id integer, p_from date, p_to date, p_type_id integer,
  p_horizon_days integer, p_now timestamptz, p_count integer DEFAULT NULL)
RETURNS TABLE (slot_start timestamptz, slot_end timestamptz, appointment_type_id integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  zone text;
  rules record;
  earliest timestamptz;
  latest timestamptz;
  first_day date;
  last_day date;
  day date;
  offered integer := 0;
  returned integer;
  booked tstzmultirange;
  booked_until date;
BEGIN
  SELECT d.timezone INTO zone FROM doctors d WHERE d.id = p_doctor_id AND d.active;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT * INTO rules FROM doctor_rules(p_doctor_id, p_horizon_days);
  -- slot_within_rules: p_start > p_now AND p_start >= p_now + notice AND p_start <= p_now + horizon.
  earliest := p_now + make_interval(mins => rules.min_notice_minutes);
  latest := p_now + make_interval(days => rules.horizon_days);
  first_day := greatest(p_from, (greatest(p_now, earliest) AT TIME ZONE zone)::date);
  last_day := least(p_to, (latest AT TIME ZONE zone)::date);
  IF first_day > last_day THEN
    RETURN;
  END IF;
  day := first_day;
  WHILE day <= last_day AND (p_count IS NULL OR offered < p_count) LOOP
    -- The booked ranges of a week of days in one index probe (with a day's margin each side: a
    -- day's slots lie within its local midnights, whatever the offset), then each slot is
    -- tested in memory. Measured: a probe per slot, or per day, cost twice as much over a month,
    -- and one for the whole run made a search that stops on its first day read all 62.
    IF booked_until IS NULL OR day > booked_until THEN
      booked_until := least(day + 6, last_day);
      SELECT coalesce(range_agg(tstzrange(a.appointment_time, a.end_time)), '{}'::tstzmultirange) INTO booked
      FROM appointments a
      WHERE a.doctor_id = p_doctor_id AND a.status = 'booked'
        AND tstzrange(a.appointment_time, a.end_time) && tstzrange((day - 1)::timestamp AT TIME ZONE zone, (booked_until + 2)::timestamp AT TIME ZONE zone);
    END IF;
    RETURN QUERY
      SELECT s.slot_start, s.slot_end, s.appointment_type_id
      FROM schedule_slots(p_doctor_id, day, p_type_id) s
      WHERE s.slot_start > p_now AND s.slot_start >= earliest AND s.slot_start <= latest
        AND NOT (booked && tstzrange(s.slot_start, s.slot_end))
      ORDER BY s.slot_start
      LIMIT p_count - offered;
    GET DIAGNOSTICS returned = ROW_COUNT;
    offered := offered + returned;
    day := day + 1;
  END LOOP;
END
$$;

-- Down Migration
DROP FUNCTION bookable_slots(integer, date, date, integer, integer, timestamptz, integer);
