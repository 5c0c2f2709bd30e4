/* Removes one time off */
DELETE FROM time_off WHERE id = ${timeOffId}::bigint
