/* Why a booking of a doctor's time found no slot to insert into (the rule that forbids it, else the grid), with the rule's values for the message; asked only after a booking failed; no row for an unknown doctor */
WITH doctor AS (
  SELECT d.id, d.active, (${time}::timestamptz AT TIME ZONE d.timezone)::date AS day FROM doctors d WHERE d.id = ${doctorId}::integer
), kind AS (
  SELECT t.id, make_interval(mins => t.minutes) AS length
  FROM appointment_types t JOIN doctor d ON t.doctor_id = d.id
  WHERE t.active AND (t.id = ${typeId}::integer OR (${typeId}::integer IS NULL AND t.is_default))
)
SELECT CASE
         WHEN NOT d.active THEN 'inactive'
         WHEN NOT EXISTS (SELECT 1 FROM kind) THEN 'type'
         WHEN ${time}::timestamptz <= now() THEN 'past'
         WHEN ${time}::timestamptz < now() + make_interval(mins => r.min_notice_minutes) THEN 'notice'
         WHEN ${time}::timestamptz > now() + make_interval(days => r.horizon_days) THEN 'horizon'
         WHEN EXISTS (SELECT 1 FROM clinic_holidays h WHERE h.day = d.day) THEN 'holiday'
         WHEN EXISTS (
           SELECT 1 FROM time_off x, kind k
           WHERE x.doctor_id = d.id AND x.during && tstzrange(${time}::timestamptz, ${time}::timestamptz + k.length)) THEN 'time_off'
         ELSE 'grid'
       END AS reason,
       r.min_notice_minutes, r.horizon_days, d.day::text AS day,
       (SELECT h.name FROM clinic_holidays h WHERE h.day = d.day) AS holiday
FROM doctor d CROSS JOIN LATERAL doctor_rules(d.id, ${horizonDays}::integer) r
