/* The booked future appointments of one doctor (null: of every doctor) that the schedule as it is now no longer covers (db/migrations/021, appointment_outside_schedule), as a JSON array of { id, doctor_id, start, end }: no patient data */
SELECT coalesce(json_agg(json_build_object('id', a.id, 'doctor_id', a.doctor_id, 'start', utc_iso(a.appointment_time), 'end', utc_iso(a.end_time))
                         ORDER BY a.appointment_time, a.id), '[]'::json)::text AS body,
       coalesce(array_agg(a.id::text), '{}') AS ids
FROM appointments a
WHERE a.status = 'booked'
  AND a.appointment_time > now()
  AND (${doctorId}::integer IS NULL OR a.doctor_id = ${doctorId}::integer)
  AND appointment_outside_schedule(a.doctor_id, a.appointment_time, a.end_time)
