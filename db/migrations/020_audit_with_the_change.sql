-- Up Migration
-- The audit trail travelled through the Broker: an event the outbox relay had marked sent was
-- lost if the in-memory Broker's dispatcher restarted before audit-log received it. Now every
-- event is in the audit trail in the same transaction as the change that made it: the row is
-- written as the outbox row is. The consumer stays, for the Broker's other subscribers and for
-- events from elsewhere, and finds each of ours already recorded by (source, id).
CREATE FUNCTION audit_outbox_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  appointment text := substring(NEW.subject FROM '^appointments/([1-9][0-9]{0,18})$');
BEGIN
  -- Only appointment events belong in this trail (it is keyed by appointment).
  IF appointment IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (event_source, event_id, event_type, subject, event_time, appointment_id, data)
  VALUES (NEW.source, NEW.event_id::text, NEW.type, NEW.subject, NEW.created_at, appointment::bigint, NEW.data)
  ON CONFLICT ON CONSTRAINT audit_log_once_per_event DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_audits_its_event AFTER INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION audit_outbox_event();

-- Down Migration
DROP TRIGGER outbox_audits_its_event ON outbox;
DROP FUNCTION audit_outbox_event();
