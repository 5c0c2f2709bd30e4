/* One doctor's slots of one appointment type (null: the default type) on a day of their time zone, each marked available unless past, too soon or too far ahead under the booking rules, or booked (never offer what a booking would refuse); no row for an unknown doctor or a type that is not theirs */
SELECT json_build_object(
         'doctor_id', d.id,
         'date', ${day},
         'timezone', d.timezone,
         'appointment_type_id', t.id,
         'slots', coalesce((
           SELECT json_agg(json_build_object(
                    'start', utc_iso(s.slot_start),
                    'end', utc_iso(s.slot_end),
                    'available', slot_within_rules(d.id, s.slot_start, ${horizonDays}::integer, now()) AND NOT EXISTS (
                      SELECT 1 FROM appointments a
                      WHERE a.doctor_id = d.id AND a.status = 'booked'
                        AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end)))
                  ORDER BY s.slot_start)
           FROM schedule_slots(d.id, ${day}::date, t.id) s), '[]'::json))::text AS body
FROM doctors d
JOIN appointment_types t ON t.doctor_id = d.id AND t.active AND (t.id = ${typeId}::integer OR (${typeId}::integer IS NULL AND t.is_default))
WHERE d.id = ${doctorId}
