-- Up Migration
-- Patients hear from the clinic (issue 12): reschedule in place, cancel with a reason, e-mail
-- notices sent once per event, and reminders sent once per appointment time.

-- A reschedule moves the booked row itself: same id, same reference, new time. The exclusion
-- constraint (001) still guards the new range, because it is checked on UPDATE as on INSERT.
-- revision counts the moves, for the calendar file's SEQUENCE (RFC 5545: up on each change).
ALTER TABLE appointments
  ADD COLUMN revision      integer NOT NULL DEFAULT 0 CHECK (revision >= 0),
  ADD COLUMN cancel_reason text CHECK (length(cancel_reason) BETWEEN 1 AND 500 AND cancel_reason !~ '[[:cntrl:]]');

-- The manage link and the reminders need the reference, which 007 keeps only as a hash so a
-- dump holds no patient's key. The notifier is not the patient and never sees the reference
-- otherwise, so it is kept here sealed (AES-256-GCM under PATIENT_DATA_KEY, purpose
-- 'reference', as idempotency_keys does): a dump still shows no reference in clear, and only a
-- process holding the key can build a link. Erasure removes it with the contact.
CREATE TABLE appointment_links (
  appointment_id   bigint PRIMARY KEY REFERENCES appointments (id),
  reference_sealed bytea  NOT NULL,
  reference_key_id text   NOT NULL CHECK (reference_key_id ~ '^[A-Za-z0-9_-]{1,64}$')
);
-- Whatever erases a patient's data (retention, an erasure request) erases the link too.
CREATE FUNCTION forget_appointment_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM appointment_links WHERE appointment_id = NEW.id;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION forget_appointment_link() FROM PUBLIC;
CREATE TRIGGER appointments_erasure_forgets_link AFTER UPDATE OF erased_at ON appointments
  FOR EACH ROW WHEN (NEW.erased_at IS NOT NULL) EXECUTE FUNCTION forget_appointment_link();

-- One row per event the notifier decided on, written in the same transaction as that decision:
-- a redelivered event finds its row and sends nothing. The mail goes out before the commit,
-- so a commit that fails after SMTP accepted the mail sends it again on redelivery: at least
-- once, deduplicated by event id everywhere else.
CREATE TABLE notices_sent (
  event_id       text        PRIMARY KEY CHECK (length(event_id) BETWEEN 1 AND 500),
  appointment_id bigint      NOT NULL REFERENCES appointments (id),
  kind           text        NOT NULL CHECK (kind IN ('booked', 'rescheduled', 'cancelled', 'none')),
  sent_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_sent_by_appointment ON notices_sent (appointment_id);

-- One reminder per appointment and time: a rescheduled appointment is due again at its new
-- time, and a cancelled one is never claimed (the claim reads status in the same statement).
CREATE TABLE reminders_sent (
  appointment_id   bigint      NOT NULL REFERENCES appointments (id),
  appointment_time timestamptz NOT NULL,
  -- False when the appointment had no e-mail address: decided, nothing to send.
  mailed           boolean     NOT NULL,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (appointment_id, appointment_time)
);

-- The reminder run finds booked appointments starting within the window by time.
CREATE INDEX appointments_booked_by_time ON appointments (appointment_time) WHERE status = 'booked';

-- Exactly the columns a reschedule and a cancellation with a reason write.
GRANT UPDATE (appointment_time, end_time, revision, cancel_reason) ON appointments TO booking_app;
GRANT SELECT, INSERT ON appointment_links TO booking_app;
GRANT SELECT, INSERT ON notices_sent, reminders_sent TO booking_app;

-- Down Migration
DROP TRIGGER appointments_erasure_forgets_link ON appointments;
DROP FUNCTION forget_appointment_link();
DROP TABLE reminders_sent, notices_sent, appointment_links;
DROP INDEX appointments_booked_by_time;
ALTER TABLE appointments DROP COLUMN cancel_reason, DROP COLUMN revision;
