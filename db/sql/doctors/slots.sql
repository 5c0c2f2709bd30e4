/* One doctor's slots on a day of their time zone, each marked available unless past, beyond the booking horizon or booked (never offer what a booking would refuse); no row for an unknown doctor */
SELECT json_build_object(
         'doctor_id', d.id,
         'date', ${day},
         'timezone', d.timezone,
         'slots', coalesce((
           SELECT json_agg(json_build_object(
                    'start', utc_iso(s.slot_start),
                    'end', utc_iso(s.slot_end),
                    'available', s.slot_start > now() AND s.slot_start <= now() + make_interval(days => ${horizonDays}::integer) AND NOT EXISTS (
                      SELECT 1 FROM appointments a
                      WHERE a.doctor_id = d.id AND a.status = 'booked'
                        AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end)))
                  ORDER BY s.slot_start)
           FROM doctor_slots(d.id, ${day}::date) s), '[]'::json))::text AS body
FROM doctors d
WHERE d.id = ${doctorId}
