/* Changes the given fields of a doctor (null: unchanged); active false deactivates, nothing is deleted */
UPDATE doctors
SET name = coalesce(${name}, name),
    specialty = coalesce(${specialty}, specialty),
    timezone = coalesce(${timezone}, timezone),
    active = coalesce(${active}::boolean, active)
WHERE id = ${doctorId}::integer
