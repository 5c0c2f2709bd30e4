/* Every doctor, as the { items } body of GET /api/doctors */
SELECT json_build_object('items', coalesce(json_agg(json_build_object(
         'id', d.id, 'name', d.name, 'specialty', d.specialty,
         'timezone', d.timezone, 'slot_minutes', d.slot_minutes) ORDER BY d.name, d.id), '[]'::json))::text AS body
FROM doctors d
