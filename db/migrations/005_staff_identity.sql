-- Up Migration
-- Staff sign in as themselves (issue 10): the visit lifecycle, staff notes, and an append-only
-- trail of who looked at or changed which appointment.

-- A visit moves booked -> arrived -> completed, booked -> no_show or booked -> cancelled, and
-- no other way. The database refuses every other change, whatever the application does.
ALTER TABLE appointments DROP CONSTRAINT appointments_status_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_status_check
  CHECK (status IN ('booked', 'arrived', 'completed', 'no_show', 'cancelled'));

-- A patient who has arrived (perhaps a little early) or been seen still holds the slot: only a
-- cancellation frees it. Before this, only 'booked' existed besides 'cancelled'.
ALTER TABLE appointments DROP CONSTRAINT appointments_no_double_booking;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_double_booking
  EXCLUDE USING gist (doctor_id WITH =, tstzrange(appointment_time, end_time) WITH &&)
  WHERE (status <> 'cancelled');

CREATE FUNCTION appointment_status_allowed(old_status text, new_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT old_status = new_status
      OR (old_status, new_status) IN (('booked', 'arrived'), ('arrived', 'completed'), ('booked', 'no_show'), ('booked', 'cancelled'))
$$;

CREATE FUNCTION appointments_refuse_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT appointment_status_allowed(OLD.status, NEW.status) THEN
    RAISE EXCEPTION 'an appointment''s status cannot go from % to %', OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'appointments_status_transition';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER appointments_status_transition BEFORE UPDATE OF status ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointments_refuse_status_change();

-- When the visit moved on, for the front desk's day.
ALTER TABLE appointments ADD COLUMN status_changed_at timestamptz;
GRANT UPDATE (status_changed_at) ON appointments TO booking_app;

-- Internal notes: staff only, never shown to the patient, never changed once written.
CREATE TABLE appointment_notes (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appointment_id bigint      NOT NULL REFERENCES appointments (id),
  author_sub     text        NOT NULL CHECK (length(author_sub) BETWEEN 1 AND 255),
  author_name    text        CHECK (length(author_name) <= 200),
  body           text        NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_notes_by_appointment ON appointment_notes (appointment_id, id);
GRANT SELECT, INSERT ON appointment_notes TO booking_app;

-- Who (sub, name, role) did what (action, appointment ids) when, from where, under which
-- request id: one row per staff read of patient data and per staff write, the latter in the
-- write's own transaction. It holds no patient name or contact, only appointment ids.
CREATE TABLE staff_audit (
  id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  actor_sub       text        NOT NULL CHECK (length(actor_sub) BETWEEN 1 AND 255),
  actor_name      text        CHECK (length(actor_name) <= 200),
  actor_role      text        NOT NULL CHECK (actor_role IN ('admin', 'reception', 'clinician', 'service', 'none')),
  action          text        NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
  appointment_ids bigint[]    NOT NULL DEFAULT '{}',
  request_id      text        CHECK (length(request_id) <= 64),
  client_address  text        CHECK (length(client_address) <= 64)
);
CREATE INDEX staff_audit_by_time ON staff_audit (at, id);
CREATE INDEX staff_audit_by_actor ON staff_audit (actor_sub, at, id);
CREATE INDEX staff_audit_by_appointment ON staff_audit USING gin (appointment_ids);

-- Append-only for everyone, as audit_log is (002): the app role is granted INSERT and SELECT
-- only, and the trigger stops even the owner short of dropping it.
CREATE TRIGGER staff_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON staff_audit
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER staff_audit_no_truncate BEFORE TRUNCATE ON staff_audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
GRANT SELECT, INSERT ON staff_audit TO booking_app;

-- Down Migration
DROP TABLE staff_audit, appointment_notes;
DROP TRIGGER appointments_status_transition ON appointments;
DROP FUNCTION appointments_refuse_status_change(), appointment_status_allowed(text, text);
ALTER TABLE appointments DROP COLUMN status_changed_at;
ALTER TABLE appointments DROP CONSTRAINT appointments_no_double_booking;
ALTER TABLE appointments ADD CONSTRAINT appointments_no_double_booking
  EXCLUDE USING gist (doctor_id WITH =, tstzrange(appointment_time, end_time) WITH &&)
  WHERE (status = 'booked');
ALTER TABLE appointments DROP CONSTRAINT appointments_status_check;
ALTER TABLE appointments ADD CONSTRAINT appointments_status_check CHECK (status IN ('booked', 'cancelled'));
