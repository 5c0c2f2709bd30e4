/* Removes a doctor's weekly hours, to be replaced in the same transaction */
DELETE FROM working_hours WHERE doctor_id = ${doctorId}::integer
