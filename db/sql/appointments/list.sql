/* One page of the staff listing in (appointment_time, id) order, built as the response JSON; the cursor is base64url of "<time>,<id>" of the page's last row */
WITH candidates AS (
  SELECT a AS appointment, a.appointment_time, a.id
  FROM appointments a
  WHERE (${doctorId}::integer IS NULL OR a.doctor_id = ${doctorId}::integer)
    AND (${status}::text IS NULL OR a.status = ${status}::text)
    AND (${from}::timestamptz IS NULL OR a.appointment_time >= ${from}::timestamptz)
    AND (${to}::timestamptz IS NULL OR a.appointment_time < ${to}::timestamptz)
    AND (${afterTime}::timestamptz IS NULL OR (a.appointment_time, a.id) > (${afterTime}::timestamptz, ${afterId}::bigint))
  ORDER BY a.appointment_time, a.id
  LIMIT ${limit} + 1
), page AS (
  SELECT c.*, row_number() OVER (ORDER BY c.appointment_time, c.id) AS n FROM candidates c
)
SELECT json_build_object(
         'items', coalesce(json_agg(appointment_json(p.appointment) ORDER BY p.n) FILTER (WHERE p.n <= ${limit}), '[]'::json),
         'next_cursor', CASE WHEN count(*) > ${limit} THEN (
           SELECT rtrim(translate(encode(convert_to(
                    to_char(last.appointment_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || ',' || last.id,
                    'UTF8'), 'base64'), '+/', '-_'), '=')
           FROM page last WHERE last.n = ${limit}) END
       )::text AS body
FROM page p
