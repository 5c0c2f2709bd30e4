/* Changes the given fields of an appointment type (null: unchanged); the default flag is make-default.sql's */
UPDATE appointment_types
SET name = coalesce(${name}, name),
    minutes = coalesce(${minutes}::integer, minutes),
    active = coalesce(${active}::boolean, active)
WHERE id = ${typeId}::integer
