/* The days of a month on a doctor's clock with at least one free, bookable slot of a type (null: the default), each with its count of free slots; free as in slots.sql, through bookable_slots (migration 022: schedule_slots, slot_within_rules, no booked appointment overlapping); no row for an unknown or inactive doctor or a type that is not theirs or not active */
SELECT json_build_object(
         'doctor_id', d.id,
         'month', ${month}::text,
         'timezone', d.timezone,
         'appointment_type_id', t.id,
         'days', coalesce((
           SELECT json_agg(json_build_object('date', to_char(f.day, 'YYYY-MM-DD'), 'free_slots', f.free_slots) ORDER BY f.day)
           FROM (
             -- A slot's start is on the wall clock of the day schedule_slots laid it on.
             SELECT (s.slot_start AT TIME ZONE d.timezone)::date AS day, count(*)::integer AS free_slots
             FROM bookable_slots(d.id, m.first_day, (m.first_day + interval '1 month' - interval '1 day')::date, t.id, ${horizonDays}::integer, now()) s
             GROUP BY 1) f), '[]'::json))::text AS body
FROM doctors d
JOIN appointment_types t ON t.doctor_id = d.id AND t.active AND (t.id = ${typeId}::integer OR (${typeId}::integer IS NULL AND t.is_default))
CROSS JOIN (SELECT (${month}::text || '-01')::date AS first_day) m
WHERE d.id = ${doctorId} AND d.active
