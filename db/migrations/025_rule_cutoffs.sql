-- Up Migration
-- The booking rules of migration 013 become the one source of the patient's cancel and
-- reschedule cutoffs (issue 11); RESCHEDULE_CUTOFF_HOURS is gone. Until now the table's
-- cutoffs were read by nothing, so a 0 there was never a decision that took effect: the clinic
-- row gets the 2 hours (120 minutes) that RESCHEDULE_CUTOFF_HOURS defaulted to, and a patient
-- keeps the cutoff they had. A value someone set above 0 is kept. The doctors' overrides stay
-- as they are: NULL there already means the clinic's.
UPDATE booking_rules SET cancel_cutoff_minutes = 120 WHERE cancel_cutoff_minutes = 0;
UPDATE booking_rules SET reschedule_cutoff_minutes = 120 WHERE reschedule_cutoff_minutes = 0;
-- The clinic row is recreated with the same cutoffs should anyone delete and re-insert it.
ALTER TABLE booking_rules ALTER COLUMN cancel_cutoff_minutes SET DEFAULT 120,
                          ALTER COLUMN reschedule_cutoff_minutes SET DEFAULT 120;

-- Down Migration
ALTER TABLE booking_rules ALTER COLUMN cancel_cutoff_minutes SET DEFAULT 0,
                          ALTER COLUMN reschedule_cutoff_minutes SET DEFAULT 0;
UPDATE booking_rules SET cancel_cutoff_minutes = 0 WHERE cancel_cutoff_minutes = 120;
UPDATE booking_rules SET reschedule_cutoff_minutes = 0 WHERE reschedule_cutoff_minutes = 120;
