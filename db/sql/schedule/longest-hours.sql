/* The longest range of a doctor's weekly hours in minutes; null when they have none */
SELECT max(extract(epoch FROM (w.ends_at - w.starts_at)) / 60)::int AS minutes
FROM working_hours w WHERE w.doctor_id = ${doctorId}::integer
