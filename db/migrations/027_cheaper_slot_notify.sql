-- Up Migration
-- The slot-change trigger (migration 012) found the doctor by turning the whole changed row into
-- jsonb (to_jsonb(NEW) ->> 'doctor_id'), on every booking: the appointment's sealed contact,
-- its hashes and all. It now reads the one column. The messages are the same; an UPDATE that
-- keeps the doctor sends one, as the repeated one was folded into it at commit anyway.
CREATE OR REPLACE FUNCTION notify_slots_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  kind text := CASE WHEN TG_TABLE_NAME = 'appointments' THEN 'a:' ELSE 'd:' END;
  old_doctor integer;
  new_doctor integer;
BEGIN
  -- OLD is unassigned in an INSERT and NEW in a DELETE: each is read only where it exists.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF TG_TABLE_NAME = 'doctors' THEN old_doctor := OLD.id; ELSE old_doctor := OLD.doctor_id; END IF;
    PERFORM pg_notify('slots_changed', kind || old_doctor);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF TG_TABLE_NAME = 'doctors' THEN new_doctor := NEW.id; ELSE new_doctor := NEW.doctor_id; END IF;
    IF old_doctor IS DISTINCT FROM new_doctor THEN
      PERFORM pg_notify('slots_changed', kind || new_doctor);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION notify_slots_changed() RETURNS trigger
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
