/* Inside a booking's transaction, before it counts the contact's future bookings: one booking per contact at a time, so parallel requests cannot all pass the cap. $1 the contact index (a keyed hash, sent apart from the text) */
SELECT pg_advisory_xact_lock(hashtextextended('contact:' || encode($1::bytea, 'hex'), 0))
