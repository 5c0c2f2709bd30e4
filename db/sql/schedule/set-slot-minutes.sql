/* Keeps doctors.slot_minutes the default type's length, as migration 013 promises the clients that read it */
UPDATE doctors SET slot_minutes = ${minutes}::integer WHERE id = ${doctorId}::integer AND slot_minutes <> ${minutes}::integer
