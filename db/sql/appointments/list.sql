/* One page of the staff listing in (appointment_time, id) order, built as the response JSON; the cursor is base64url of "<time>,<id>" of the page's last row */
WITH page AS (
  SELECT a AS appointment, row_number() OVER (ORDER BY a.appointment_time, a.id) AS n
  FROM (
    SELECT * FROM appointments
    WHERE (${doctorId}::integer IS NULL OR doctor_id = ${doctorId}::integer)
      AND (${status}::text IS NULL OR status = ${status}::text)
      AND (${from}::timestamptz IS NULL OR appointment_time >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR appointment_time < ${to}::timestamptz)
      AND (${afterTime}::timestamptz IS NULL OR (appointment_time, id) > (${afterTime}::timestamptz, ${afterId}::bigint))
    ORDER BY appointment_time, id
    LIMIT ${limit} + 1
  ) a
)
SELECT json_build_object(
         'items', coalesce(json_agg(appointment_json(p.appointment) ORDER BY p.n) FILTER (WHERE p.n <= ${limit}), '[]'::json),
         'next_cursor', (
           SELECT rtrim(translate(encode(convert_to(
                    to_char((last.appointment).appointment_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                    || ',' || (last.appointment).id, 'UTF8'), 'base64'), '+/', '-_'), '=')
           FROM page last
           WHERE last.n = ${limit} AND EXISTS (SELECT 1 FROM page more WHERE more.n > ${limit}))
       )::text AS body
FROM page p
