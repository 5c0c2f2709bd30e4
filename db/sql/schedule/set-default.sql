/* Marks a type the default, after make-default.sql cleared the old one; returns its length for doctors.slot_minutes */
UPDATE appointment_types SET is_default = true WHERE id = ${typeId}::integer RETURNING minutes
