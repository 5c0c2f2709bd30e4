/* Record one event, once: a repeated delivery of the same (source, id) inserts nothing */
INSERT INTO audit_log (event_source, event_id, event_type, subject, event_time, appointment_id, data)
VALUES (${source}, ${id}, ${type}, ${subject}, ${time}::timestamptz, ${appointmentId}, ${data:json})
ON CONFLICT ON CONSTRAINT audit_log_once_per_event DO NOTHING
RETURNING id
