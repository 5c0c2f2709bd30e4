/* "First available": the earliest free, bookable slots across active doctors (optionally of one specialty, one doctor, a type by name, else each doctor's default type) on the calendar dates from..to of each doctor's own clock, both inclusive; at most 3 a doctor, so the answer is a choice across doctors; ordered by start then doctor id; free as in slots.sql, through bookable_slots (migration 022: schedule_slots, slot_within_rules, no booked appointment overlapping), which stops at a doctor's third */
WITH candidate AS (
  -- One type a doctor: names are unique per doctor only as written, so "New patient" and "new patient" may both match; the exact spelling wins, then the older.
  SELECT DISTINCT ON (d.id) d.id AS doctor_id, d.name AS doctor_name, d.specialty, d.timezone,
         t.id AS type_id, t.name AS type_name, t.minutes
  FROM doctors d
  JOIN appointment_types t ON t.doctor_id = d.id AND t.active
   AND (CASE WHEN ${typeName}::text IS NULL THEN t.is_default ELSE lower(t.name) = lower(${typeName}::text) END)
  WHERE d.active
    AND (${specialty}::text IS NULL OR lower(d.specialty) = lower(${specialty}::text))
    AND (${doctorId}::integer IS NULL OR d.id = ${doctorId}::integer)
  ORDER BY d.id, t.name = ${typeName}::text DESC NULLS LAST, t.id
), offered AS (
  SELECT c.*, f.slot_start, f.slot_end
  FROM candidate c
  CROSS JOIN LATERAL bookable_slots(c.doctor_id, ${from}::date, ${to}::date, c.type_id, ${horizonDays}::integer, now(), 3) f
  ORDER BY f.slot_start, c.doctor_id
  LIMIT ${limit}::integer
)
SELECT json_build_object(
         'from', ${from}::text,
         'to', ${to}::text,
         'items', coalesce(json_agg(json_build_object(
           'doctor_id', o.doctor_id, 'doctor_name', o.doctor_name, 'specialty', o.specialty, 'timezone', o.timezone,
           'appointment_type_id', o.type_id, 'appointment_type_name', o.type_name, 'minutes', o.minutes,
           'start', utc_iso(o.slot_start), 'end', utc_iso(o.slot_end)) ORDER BY o.slot_start, o.doctor_id), '[]'::json))::text AS body
FROM offered o
