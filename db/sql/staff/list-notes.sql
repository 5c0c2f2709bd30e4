/* An appointment's internal notes, oldest first, as the response JSON */
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
         'id', n.id, 'appointment_id', n.appointment_id, 'author', json_build_object('sub', n.author_sub, 'name', n.author_name),
         'body', n.body, 'created_at', utc_iso(n.created_at)) ORDER BY n.id), '[]'::json))::text AS body
FROM appointment_notes n
WHERE n.appointment_id = ${appointmentId}::bigint
