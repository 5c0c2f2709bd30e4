-- Up Migration
-- The audit trail of appointment events, written by the audit-log consumer, and the index the
-- outbox relay needs to keep each appointment's events in order.

-- One row per event, whoever delivers it how often: CloudEvents makes (source, id) unique.
-- Only what the event carries is kept, and the event data holds no patient name or contact.
CREATE TABLE audit_log (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_source   text        NOT NULL CHECK (length(event_source) BETWEEN 1 AND 500),
  event_id       text        NOT NULL CHECK (length(event_id) BETWEEN 1 AND 500),
  event_type     text        NOT NULL,
  subject        text        NOT NULL,
  event_time     timestamptz,
  appointment_id bigint      NOT NULL,
  data           jsonb       NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT audit_log_once_per_event UNIQUE (event_source, event_id)
);
CREATE INDEX audit_log_by_appointment ON audit_log (appointment_id, id);

-- Append-only for everyone, not just the app role (which is granted no UPDATE or DELETE):
-- a row once written is never changed or removed short of dropping this trigger, which takes
-- the table's owner and shows in the DDL history.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

GRANT SELECT, INSERT ON audit_log TO booking_app;

-- The relay claims unsent events in id order: without this, that order is read from the
-- primary key, walking past every event ever sent.
CREATE INDEX outbox_unsent_by_id ON outbox (id) WHERE sent_at IS NULL;
-- It sends an event only when no earlier event of the same appointment is unsent; this
-- answers that question from the (small) unsent part of the outbox.
CREATE INDEX outbox_pending_by_subject ON outbox (subject, id) WHERE sent_at IS NULL;

-- Down Migration
DROP INDEX outbox_pending_by_subject, outbox_unsent_by_id;
DROP TABLE audit_log;
DROP FUNCTION audit_log_refuse_change();
