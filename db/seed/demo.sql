/* Demo clinic: twelve doctors in four time zones with weekday hours and a lunch break, their appointment types, the coming holidays, a doctor's time off next week and the clinic's booking rules; loaded once into an empty database */
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
WHERE d.name IN ('Dr Amelia Hart', 'Dr Chloe Nguyen');

-- Appointment types: each doctor's default type (made from slot_minutes by migration 013's
-- trigger, and kept at that length by it) gets the clinic's name for it, and a second type
-- where the specialty has one. The general practitioners see new patients for 30 minutes and
-- follow-ups for 15 (the default, their slot_minutes).
UPDATE appointment_types t SET name = v.default_name
FROM doctors d, (VALUES
    ('Dr Amelia Hart',    'Follow-up'),
    ('Dr Priya Raman',    'Follow-up'),
    ('Dr Chloe Nguyen',   'Follow-up'),
    ('Dr Oliver Grant',   'Consultation'),
    ('Dr Sophie Laurent', 'Consultation'),
    ('Dr Marcus Webb',    'Consultation'),
    ('Dr Daniel Ortiz',   'Consultation'),
    ('Dr Hannah Kim',     'Eye examination'),
    ('Dr Samuel Okafor',  'Therapy session'),
    ('Dr Liam O''Connor', 'Treatment session'),
    ('Dr Mei Tanaka',     'Consultation'),
    ('Dr Isabel Costa',   'Antenatal check')
  ) AS v (doctor, default_name)
WHERE t.doctor_id = d.id AND t.is_default AND d.name = v.doctor;

INSERT INTO appointment_types (doctor_id, name, minutes)
SELECT d.id, v.type_name, v.minutes
FROM doctors d JOIN (VALUES
    ('Dr Amelia Hart',    'New patient',           30),
    ('Dr Priya Raman',    'New patient',           30),
    ('Dr Chloe Nguyen',   'New patient',           30),
    ('Dr Oliver Grant',   'Mole check',            15),
    ('Dr Sophie Laurent', 'Vaccination',           10),
    ('Dr Marcus Webb',    'ECG review',            15),
    ('Dr Daniel Ortiz',   'Fracture follow-up',    15),
    ('Dr Hannah Kim',     'Contact lens fitting',  40),
    ('Dr Samuel Okafor',  'Initial assessment',    90),
    ('Dr Liam O''Connor', 'Initial assessment',    60),
    ('Dr Mei Tanaka',     'Diabetes review',       15),
    ('Dr Isabel Costa',   'First antenatal visit', 60)
  ) AS v (doctor, type_name, minutes) ON d.name = v.doctor;

-- Clinic holidays: the next Christmas Day, Boxing Day and New Year's Day on or after the day
-- the seed runs, so a demo seeded in any year closes days still to come.
INSERT INTO clinic_holidays (day, name)
SELECT CASE WHEN this_year.day < current_date THEN (this_year.day + interval '1 year')::date ELSE this_year.day END, h.name
FROM (VALUES (12, 25, 'Christmas Day'), (12, 26, 'Boxing Day'), (1, 1, 'New Year''s Day')) AS h (month, day_of_month, name)
CROSS JOIN LATERAL (SELECT make_date(extract(year FROM current_date)::integer, h.month, h.day_of_month) AS day) AS this_year
ON CONFLICT (day) DO NOTHING;

-- Time off: Dr Oliver Grant is away from the Wednesday of next week for three days, midnight to
-- midnight on his own wall clock.
INSERT INTO time_off (doctor_id, during, reason)
SELECT d.id,
       tstzrange((w.wednesday::timestamp) AT TIME ZONE d.timezone, ((w.wednesday + 3)::timestamp) AT TIME ZONE d.timezone),
       'Conference'
FROM doctors d
CROSS JOIN (SELECT (date_trunc('week', current_date)::date + 7 + 2) AS wednesday) AS w
WHERE d.name = 'Dr Oliver Grant';

-- The clinic's booking rules: an hour's notice, two months ahead, and online cancelling and
-- moving until two hours before (migration 025's default, said here so the demo shows it).
UPDATE booking_rules SET min_notice_minutes = 60, horizon_days = 60, cancel_cutoff_minutes = 120, reschedule_cutoff_minutes = 120;
