/* Removes a clinic holiday; no row when the date is none */
DELETE FROM clinic_holidays WHERE day = ${day}::date
RETURNING json_build_object('date', to_char(day, 'YYYY-MM-DD'), 'name', name)::text AS body
