/* Time off of a doctor, from one instant to another */
INSERT INTO time_off (doctor_id, during, reason) VALUES (${doctorId}::integer, tstzrange(${startsAt}::timestamptz, ${endsAt}::timestamptz), ${reason})
RETURNING id
