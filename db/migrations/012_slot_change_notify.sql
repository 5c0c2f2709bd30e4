-- Up Migration
-- Every instance keeps doctors and slots in memory (functions/core/slot-cache.ts); a change
-- must reach them all as it commits. NOTIFY is transactional (delivered at commit, dropped on
-- rollback) and costs the writer one queued message, so the triggers below tell every
-- listening instance which doctor changed, whatever wrote it: a booking, a cancellation, a
-- reschedule, the front desk, an admin, or an operator's SQL.

CREATE FUNCTION notify_slots_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  kind text := CASE WHEN TG_TABLE_NAME = 'appointments' THEN 'a' ELSE 'd' END;
  key  text := CASE WHEN TG_TABLE_NAME = 'doctors' THEN 'id' ELSE 'doctor_id' END;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('slots_changed', kind || ':' || (to_jsonb(OLD) ->> key));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('slots_changed', kind || ':' || (to_jsonb(NEW) ->> key));
  END IF;
  RETURN NULL;
END
$$;

-- A notification repeated within one transaction is delivered once, so a row-level trigger
-- costs a bulk change no more messages than it has doctors.
CREATE TRIGGER appointments_notify_slots AFTER INSERT OR UPDATE OR DELETE ON appointments
  FOR EACH ROW EXECUTE FUNCTION notify_slots_changed();
CREATE TRIGGER doctors_notify_slots AFTER INSERT OR UPDATE OR DELETE ON doctors
  FOR EACH ROW EXECUTE FUNCTION notify_slots_changed();
CREATE TRIGGER working_hours_notify_slots AFTER INSERT OR UPDATE OR DELETE ON working_hours
  FOR EACH ROW EXECUTE FUNCTION notify_slots_changed();

-- Down Migration
DROP TRIGGER working_hours_notify_slots ON working_hours;
DROP TRIGGER doctors_notify_slots ON doctors;
DROP TRIGGER appointments_notify_slots ON appointments;
DROP FUNCTION notify_slots_changed();
