/* The { items } body of the clinic's holidays, by date */
SELECT json_build_object('items', coalesce(json_agg(json_build_object('date', to_char(h.day, 'YYYY-MM-DD'), 'name', h.name) ORDER BY h.day), '[]'::json))::text AS body
FROM clinic_holidays h
