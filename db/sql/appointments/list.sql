/* One page of the staff listing in (appointment_time, id) order, built as the response JSON, and its staff audit row written by the same statement (one round trip; the row names every appointment on the page, so every contact shown); with ${withContacts} also the page's contacts, sealed (or clear in rows from before migration 007), for the application to open. The cursor is base64url of "<time>,<id>" of the page's last row */
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
), audited AS (
  INSERT INTO staff_audit (actor_sub, actor_name, actor_role, action, appointment_ids, request_id, client_address)
  SELECT ${actorSub}, ${actorName}, ${actorRole}, 'appointments.list',
         coalesce(array_agg(p.id ORDER BY p.n) FILTER (WHERE p.n <= ${limit}), '{}'::bigint[]), ${requestId}, ${clientAddress}
  FROM page p
)
SELECT json_build_object(
         'items', coalesce(json_agg(appointment_json(p.appointment) ORDER BY p.n) FILTER (WHERE p.n <= ${limit}), '[]'::json),
         'next_cursor', CASE WHEN count(*) > ${limit} THEN (
           SELECT rtrim(translate(encode(convert_to(
                    to_char(last.appointment_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || ',' || last.id,
                    'UTF8'), 'base64'), '+/', '-_'), '=')
           FROM page last WHERE last.n = ${limit}) END
       )::text AS body,
       CASE WHEN ${withContacts}::boolean THEN coalesce(json_agg(json_build_object(
         'id', p.id::text,
         'sealed', encode((p.appointment).patient_contact, 'base64'),
         'key_id', (p.appointment).contact_key_id,
         'email', (p.appointment).patient_email,
         'phone', (p.appointment).patient_phone)) FILTER (WHERE p.n <= ${limit}), '[]'::json) END AS contacts
FROM page p
