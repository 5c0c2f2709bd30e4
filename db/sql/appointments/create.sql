/* Book a slot and queue its event in one statement: inserts only when the time is one of the doctor's slots of that appointment type that the booking rules allow, no booked appointment overlaps it and the contact holds fewer future bookings than the cap. Positional parameters, sent apart from the text, so no patient value is ever part of a logged statement: $1 reference hash, $2 patient name, $3 sealed contact, $4 its key id, $5 doctor id, $6 time, $7 event source, $8 horizon in days, $9 contact index, $10 the contact's index under every key (null: no cap), $11 cap on future bookings per contact, $12 the reference sealed for the manage link, $13 its key id, $14 the appointment type (null: the doctor's default) */
WITH over_cap AS (
  -- Takes the contact's lock, then counts in a snapshot of its own (db/migrations/024), so
  -- parallel bookings of one contact cannot all pass the cap.
  SELECT contact_over_cap($9::bytea, $10::bytea[], $11::integer) AS over_cap
), doctor AS (
  SELECT id, timezone FROM doctors WHERE id = $5::integer
), slot AS (
  -- The one candidate slot by the rules of db/migrations/013, as the slot listing applies them.
  SELECT s.slot_start, s.slot_end, s.appointment_type_id
  FROM doctor d
  CROSS JOIN LATERAL schedule_slot_at(d.id, $6::timestamptz, $14::integer) s
  WHERE slot_within_rules(d.id, s.slot_start, $8::integer, now())
), taken AS (
  -- A slot already booked is answered without inserting: no dead row, no wait in the exclusion check.
  SELECT EXISTS (
    SELECT 1 FROM slot s JOIN appointments a
      ON a.doctor_id = $5::integer AND a.status = 'booked'
     AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end)
  ) AS taken
), one_at_a_time AS (
  -- Two uncommitted overlapping inserts wait on each other in the exclusion check until the
  -- deadlock detector aborts one (40P01, after deadlock_timeout); one insert per doctor at a
  -- time means a loser only ever meets a committed row and fails at once with 23P01.
  SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $5::integer, 0)) FROM slot, taken, over_cap
  WHERE NOT taken.taken AND NOT over_cap.over_cap
), booked AS (
  INSERT INTO appointments (reference_hash, patient_name, patient_contact, contact_key_id, contact_index, doctor_id, appointment_time, end_time, appointment_type_id)
  SELECT $1::bytea, $2::text, $3::bytea, $4::text, $9::bytea, $5::integer, slot_start, slot_end, appointment_type_id FROM slot, one_at_a_time
  RETURNING id, appointment_json(appointments)::text AS body, appointment_event_data(appointments) AS event_data
), linked AS (
  -- The notifier's way to the manage link (db/migrations/009): sealed, never in clear.
  INSERT INTO appointment_links (appointment_id, reference_sealed, reference_key_id)
  SELECT b.id, $12::bytea, $13::text FROM booked b WHERE $12::bytea IS NOT NULL
), queued AS (
  INSERT INTO outbox (type, source, subject, data)
  SELECT 'health.booking.appointment.booked.v1', $7::text, 'appointments/' || b.id, b.event_data FROM booked b
)
SELECT EXISTS (SELECT 1 FROM doctor) AS doctor_exists,
       (SELECT taken FROM taken) AS taken,
       (SELECT over_cap FROM over_cap) AS over_cap,
       (SELECT id FROM booked) AS id,
       (SELECT body FROM booked) AS body
