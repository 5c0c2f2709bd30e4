/* Retention of the staff audit trail: removes up to ${batch} rows older than ${days} days (at least 365) through migration 023's SECURITY DEFINER function, the only way a row may leave */
SELECT prune_staff_audit(${days}::integer, ${batch}::integer) AS pruned
