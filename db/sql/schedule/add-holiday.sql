/* A clinic holiday; no row when the date already is one */
INSERT INTO clinic_holidays (day, name) VALUES (${day}::date, ${name}) ON CONFLICT (day) DO NOTHING
RETURNING json_build_object('date', to_char(day, 'YYYY-MM-DD'), 'name', name)::text AS body
