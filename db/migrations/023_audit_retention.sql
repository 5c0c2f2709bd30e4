-- Up Migration
-- The staff audit trail is kept for a set time (AUDIT_RETENTION_DAYS, six years by default:
-- HIPAA 164.316(b)(2) keeps documentation six years), then removed by the minutely run. It
-- stays append-only for everyone else: the one way a row leaves is prune_staff_audit(), run
-- with the owner's rights, and only for rows at least a year old.

-- The row trigger of migration 005 refused every UPDATE and DELETE. Now a DELETE passes only
-- inside prune_staff_audit(), which turns a transaction-local setting on for its one statement.
-- booking_app could set that setting too, but it has no DELETE on the table, so the setting
-- gains it nothing; and even then a row younger than a year is refused.
CREATE FUNCTION staff_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('clinic.pruning_staff_audit', true) = 'on'
     AND OLD.at < now() - interval '365 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'staff_audit is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER staff_audit_no_update_or_delete ON staff_audit;
CREATE TRIGGER staff_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON staff_audit
  FOR EACH ROW EXECUTE FUNCTION staff_audit_refuse_change();

-- Removes up to p_batch rows older than p_days (at least 365) days, oldest first, and says how
-- many. A batch keeps the minutely run short when a long backlog first falls due; the next run
-- takes the next batch.
CREATE FUNCTION prune_staff_audit(p_days integer, p_batch integer DEFAULT 10000) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  removed integer;
BEGIN
  IF p_days IS NULL OR p_days < 365 THEN
    RAISE EXCEPTION 'the staff audit trail is kept at least 365 days, not %', p_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_batch IS NULL OR p_batch < 1 OR p_batch > 100000 THEN
    RAISE EXCEPTION 'a prune batch is 1 to 100000 rows, not %', p_batch
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('clinic.pruning_staff_audit', 'on', true);
  DELETE FROM staff_audit
  WHERE id IN (
    SELECT id FROM staff_audit
    WHERE at < now() - make_interval(days => p_days)
    ORDER BY at, id
    LIMIT p_batch
  );
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('clinic.pruning_staff_audit', 'off', true);
  RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION prune_staff_audit(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION prune_staff_audit(integer, integer) TO booking_app;

-- Down Migration
DROP FUNCTION prune_staff_audit(integer, integer);
DROP TRIGGER staff_audit_no_update_or_delete ON staff_audit;
CREATE TRIGGER staff_audit_no_update_or_delete BEFORE UPDATE OR DELETE ON staff_audit
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
DROP FUNCTION staff_audit_refuse_change();
