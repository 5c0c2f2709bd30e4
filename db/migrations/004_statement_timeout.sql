-- Up Migration
-- A stuck statement must not hold a connection for ever. The pool used to send
-- statement_timeout as a startup parameter, which PgBouncer in transaction mode refuses, so the
-- server sets it instead. The owner that migrates may not ALTER ROLE booking_app (it has no
-- CREATEROLE), but as the database's owner it may set the database's default, which
-- booking_app gets on every connection, pooled or not. The migrating role exempts itself in
-- this database: a migration or a restore may rightly run longer than a request.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET statement_timeout = %L', current_database(), '10s');
  EXECUTE format('ALTER ROLE CURRENT_USER IN DATABASE %I SET statement_timeout = 0', current_database());
END
$$;

-- Down Migration
DO $$
BEGIN
  EXECUTE format('ALTER ROLE CURRENT_USER IN DATABASE %I RESET statement_timeout', current_database());
  EXECUTE format('ALTER DATABASE %I RESET statement_timeout', current_database());
END
$$;
