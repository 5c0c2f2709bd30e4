/* The days of a month on a doctor's clock with at least one free, bookable slot of a type (null: the default), each with its count of free slots; free as in slots.sql (within the booking rules, no booked appointment overlapping); no row for an unknown or inactive doctor or a type that is not theirs or not active */
SELECT json_build_object(
         'doctor_id', d.id,
         'month', ${month}::text,
         'timezone', d.timezone,
         'appointment_type_id', t.id,
         'days', coalesce((
           SELECT json_agg(json_build_object('date', to_char(f.day, 'YYYY-MM-DD'), 'free_slots', f.free_slots) ORDER BY f.day)
           FROM (
             SELECT day::date AS day, count(*)::integer AS free_slots
             FROM generate_series((${month}::text || '-01')::date, (${month}::text || '-01')::date + interval '1 month' - interval '1 day', interval '1 day') AS day
             CROSS JOIN LATERAL schedule_slots(d.id, day::date, t.id) s
             WHERE slot_within_rules(d.id, s.slot_start, ${horizonDays}::integer, now())
               AND NOT EXISTS (
                 SELECT 1 FROM appointments a
                 WHERE a.doctor_id = d.id AND a.status = 'booked'
                   AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end))
             GROUP BY day) f), '[]'::json))::text AS body
FROM doctors d
JOIN appointment_types t ON t.doctor_id = d.id AND t.active AND (t.id = ${typeId}::integer OR (${typeId}::integer IS NULL AND t.is_default))
WHERE d.id = ${doctorId} AND d.active
