/* One appointment by its reference, as the Appointment body */
SELECT appointment_json(a)::text AS body FROM appointments a WHERE a.reference = ${reference}
