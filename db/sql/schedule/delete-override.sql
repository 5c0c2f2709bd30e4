/* Removes a doctor's overrides of one date; the count says whether there were any */
DELETE FROM schedule_overrides WHERE doctor_id = ${doctorId}::integer AND day = ${day}::date
