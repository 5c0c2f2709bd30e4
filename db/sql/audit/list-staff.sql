/* One page of the staff audit trail, newest first, built as the response JSON; the cursor is base64url of the page's last id */
WITH page AS (
  SELECT s.*, row_number() OVER (ORDER BY s.id DESC) AS n
  FROM (
    SELECT * FROM staff_audit s
    WHERE (${actorSub}::text IS NULL OR s.actor_sub = ${actorSub}::text)
      AND (${action}::text IS NULL OR s.action = ${action}::text)
      AND (${appointmentId}::bigint IS NULL OR s.appointment_ids @> ARRAY[${appointmentId}::bigint])
      AND (${from}::timestamptz IS NULL OR s.at >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR s.at < ${to}::timestamptz)
      AND (${beforeId}::bigint IS NULL OR s.id < ${beforeId}::bigint)
    ORDER BY s.id DESC
    LIMIT ${limit} + 1
  ) s
)
SELECT json_build_object(
         'items', coalesce(json_agg(json_build_object(
            'id', p.id, 'at', utc_iso(p.at),
            'actor', json_build_object('sub', p.actor_sub, 'name', p.actor_name, 'role', p.actor_role),
            'action', p.action, 'appointment_ids', to_json(p.appointment_ids),
            'request_id', p.request_id, 'client_address', p.client_address) ORDER BY p.n) FILTER (WHERE p.n <= ${limit}), '[]'::json),
         'next_cursor', CASE WHEN count(*) > ${limit} THEN (
            SELECT rtrim(translate(encode(convert_to(last.id::text, 'UTF8'), 'base64'), '+/', '-_'), '=') FROM page last WHERE last.n = ${limit}) END
       )::text AS body
FROM page p
