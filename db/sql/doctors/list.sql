/* Every active doctor with their active appointment types (the default first, then by name), as the { items } body of GET /api/doctors; an inactive doctor is not bookable, so not listed */
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
         'id', d.id, 'name', d.name, 'specialty', d.specialty,
         'timezone', d.timezone, 'slot_minutes', d.slot_minutes,
         'appointment_types', (
           SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'minutes', t.minutes, 'is_default', t.is_default)
                                    ORDER BY t.is_default DESC, t.name, t.id), '[]'::json)
           FROM appointment_types t
           WHERE t.doctor_id = d.id AND t.active)) ORDER BY d.name, d.id), '[]'::json))::text AS body
FROM doctors d
WHERE d.active
