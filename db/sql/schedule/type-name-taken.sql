/* Whether another type of the doctor already has this name */
SELECT EXISTS (SELECT 1 FROM appointment_types t WHERE t.doctor_id = ${doctorId}::integer AND t.name = ${name} AND t.id IS DISTINCT FROM ${typeId}::integer) AS taken
