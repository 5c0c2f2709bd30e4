/* The AdminDoctor body of one doctor, or of every doctor (inactive too) when doctorId is null, ordered by name and id: types default first, hours by weekday, overrides from the doctor's today on, time off not yet ended, the doctor's own rules (null: the clinic's) */
SELECT json_build_object(
         'id', d.id, 'name', d.name, 'specialty', d.specialty, 'timezone', d.timezone,
         'slot_minutes', d.slot_minutes, 'active', d.active,
         'appointment_types', coalesce((
           SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'minutes', t.minutes, 'is_default', t.is_default, 'active', t.active)
                           ORDER BY t.is_default DESC, t.name, t.id)
           FROM appointment_types t WHERE t.doctor_id = d.id), '[]'::json),
         'hours', coalesce((
           SELECT json_agg(json_build_object('weekday', w.weekday, 'starts_at', to_char(w.starts_at, 'HH24:MI'), 'ends_at', to_char(w.ends_at, 'HH24:MI'))
                           ORDER BY w.weekday, w.starts_at)
           FROM working_hours w WHERE w.doctor_id = d.id), '[]'::json),
         'overrides', coalesce((
           SELECT json_agg(json_build_object('date', to_char(o.day, 'YYYY-MM-DD'), 'ranges', o.ranges) ORDER BY o.day)
           FROM (
             SELECT x.day, coalesce(json_agg(json_build_object('starts_at', to_char(x.starts_at, 'HH24:MI'), 'ends_at', to_char(x.ends_at, 'HH24:MI'))
                                             ORDER BY x.starts_at) FILTER (WHERE x.starts_at IS NOT NULL), '[]'::json) AS ranges
             FROM schedule_overrides x
             WHERE x.doctor_id = d.id AND x.day >= (now() AT TIME ZONE d.timezone)::date
             GROUP BY x.day) o), '[]'::json),
         'time_off', coalesce((
           SELECT json_agg(json_build_object('id', x.id, 'starts_at', utc_iso(lower(x.during)), 'ends_at', utc_iso(upper(x.during)), 'reason', x.reason)
                           ORDER BY lower(x.during), x.id)
           FROM time_off x WHERE x.doctor_id = d.id AND upper(x.during) > now()), '[]'::json),
         'rules', json_build_object(
           'min_notice_minutes', r.min_notice_minutes, 'horizon_days', r.horizon_days,
           'cancel_cutoff_minutes', r.cancel_cutoff_minutes, 'reschedule_cutoff_minutes', r.reschedule_cutoff_minutes)
       )::text AS body
FROM doctors d
LEFT JOIN doctor_booking_rules r ON r.doctor_id = d.id
WHERE ${doctorId}::integer IS NULL OR d.id = ${doctorId}::integer
ORDER BY d.name, d.id
