/* A doctor's weekly hours from a JSON array of { weekday, starts_at, ends_at } (ISO weekday, HH:MM, "24:00" as an end); the exclusion constraint of migration 021 refuses overlaps */
INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at)
SELECT ${doctorId}::integer, h.weekday, h.starts_at::time, h.ends_at::time
FROM json_to_recordset(${hours}::json) AS h (weekday smallint, starts_at text, ends_at text)
