/* The appointment a staff write is about, locked until the write's transaction ends, so a status change and its audit row see one state */
SELECT a.id, a.doctor_id, a.status FROM appointments a WHERE a.id = ${id}::bigint FOR UPDATE
