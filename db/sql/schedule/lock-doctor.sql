/* Takes a doctor's booking lock (the one appointments/create.sql and reschedule.sql take) and then the doctor's row, for the rest of the transaction; no row for an unknown doctor. A booking holding the lock commits before this returns, so what is listed after the change sees it */
SELECT d.id
FROM (SELECT pg_advisory_xact_lock(hashtextextended('booking:' || ${doctorId}::integer, 0))) AS booking_lock, doctors d
WHERE d.id = ${doctorId}::integer
FOR UPDATE OF d
