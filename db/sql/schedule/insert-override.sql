/* A date's hours from a JSON array of { starts_at, ends_at }; an empty array is one row with no times, a closed day */
INSERT INTO schedule_overrides (doctor_id, day, starts_at, ends_at)
SELECT ${doctorId}::integer, ${day}::date, r.starts_at::time, r.ends_at::time
FROM json_to_recordset(${ranges}::json) AS r (starts_at text, ends_at text)
UNION ALL
SELECT ${doctorId}::integer, ${day}::date, NULL, NULL WHERE json_array_length(${ranges}::json) = 0
