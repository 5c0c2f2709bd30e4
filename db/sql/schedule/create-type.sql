/* A new appointment type of a doctor, not yet the default (make-default.sql makes it one) */
INSERT INTO appointment_types (doctor_id, name, minutes) VALUES (${doctorId}::integer, ${name}, ${minutes}::integer)
RETURNING id
