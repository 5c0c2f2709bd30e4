/* Makes one type the doctor's default and no other: the one-default index is checked per row, so the old default is cleared by an earlier statement than the new one is set */
UPDATE appointment_types SET is_default = false WHERE doctor_id = ${doctorId}::integer AND is_default AND id <> ${typeId}::integer
