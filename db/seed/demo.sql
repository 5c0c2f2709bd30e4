/* Demo clinic: twelve doctors in four time zones with weekday hours; loaded once into an empty database */
WITH new_doctors AS (
  INSERT INTO doctors (name, specialty, timezone, slot_minutes) VALUES
    ('Dr Amelia Hart',     'General practice', 'Europe/London',       15),
    ('Dr Oliver Grant',    'Dermatology',      'Europe/London',       30),
    ('Dr Sophie Laurent',  'Paediatrics',      'Europe/London',       20),
    ('Dr Marcus Webb',     'Cardiology',       'America/New_York',    30),
    ('Dr Priya Raman',     'General practice', 'America/New_York',    15),
    ('Dr Daniel Ortiz',    'Orthopaedics',     'America/New_York',    30),
    ('Dr Hannah Kim',      'Ophthalmology',    'America/Los_Angeles', 20),
    ('Dr Samuel Okafor',   'Psychiatry',       'America/Los_Angeles', 60),
    ('Dr Chloe Nguyen',    'General practice', 'Australia/Melbourne', 15),
    ('Dr Liam O''Connor',  'Physiotherapy',    'Australia/Melbourne', 30),
    ('Dr Mei Tanaka',      'Endocrinology',    'Australia/Melbourne', 30),
    ('Dr Isabel Costa',    'Obstetrics',       'Australia/Melbourne', 30)
  RETURNING id, name
)
INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at)
SELECT d.id, day, hours.starts_at, hours.ends_at
FROM new_doctors d
CROSS JOIN generate_series(1, 5) AS day
CROSS JOIN (VALUES (time '09:00', time '12:30'), (time '13:30', time '17:00')) AS hours (starts_at, ends_at)
UNION ALL
-- Two doctors also see patients on Saturday mornings.
SELECT d.id, 6, time '09:00', time '12:00'
FROM new_doctors d
WHERE d.name IN ('Dr Amelia Hart', 'Dr Chloe Nguyen')
