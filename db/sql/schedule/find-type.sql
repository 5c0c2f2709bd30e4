/* An appointment type's doctor and state, or no row */
SELECT t.id, t.doctor_id, t.name, t.minutes, t.is_default, t.active FROM appointment_types t WHERE t.id = ${typeId}::integer
