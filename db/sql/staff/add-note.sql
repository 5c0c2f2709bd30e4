/* Adds a staff member's internal note to an appointment; notes are never changed once written */
INSERT INTO appointment_notes (appointment_id, author_sub, author_name, body)
VALUES (${appointmentId}::bigint, ${authorSub}, ${authorName}, ${body})
RETURNING json_build_object('id', id, 'appointment_id', appointment_id, 'author', json_build_object('sub', author_sub, 'name', author_name),
                            'body', body, 'created_at', utc_iso(created_at))::text AS body
