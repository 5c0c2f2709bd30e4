/* Whose time off this is, or no row */
SELECT x.doctor_id FROM time_off x WHERE x.id = ${timeOffId}::bigint
