/* One appointment by its reference ($1, sent apart from the text), as the Appointment body */
SELECT appointment_json(a)::text AS body FROM appointments a WHERE a.reference = $1::text
