/* One appointment by id, as the Appointment body */
SELECT a.reference, appointment_json(a)::text AS body FROM appointments a WHERE a.id = ${id}
