/* A new doctor; the trigger of db/migrations/013 gives them a default type "Appointment" of slot_minutes */
INSERT INTO doctors (name, specialty, timezone, slot_minutes)
VALUES (${name}, ${specialty}, ${timezone}, ${slotMinutes}::integer)
RETURNING id
