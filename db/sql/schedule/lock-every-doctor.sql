/* Takes every doctor's booking lock, in id order so two such writes never deadlock, for a change of every doctor's days (a holiday) */
SELECT count(*)::int AS locked
FROM (SELECT pg_advisory_xact_lock(hashtextextended('booking:' || d.id, 0)) FROM doctors d ORDER BY d.id) AS l
