-- Up Migration
-- Sent outbox rows have done their job (the audit trail is audit_log), yet nothing removed
-- them, so the table grew for ever. The minutely relay run deletes those sent over a week ago;
-- the app may delete only rows that are sent, and only those.
GRANT DELETE ON outbox TO booking_app;
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbox_app_all ON outbox FOR ALL TO booking_app USING (true) WITH CHECK (true);
CREATE POLICY outbox_app_delete_sent ON outbox AS RESTRICTIVE FOR DELETE TO booking_app USING (sent_at IS NOT NULL);
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Down Migration
DROP INDEX outbox_sent;
DROP POLICY outbox_app_delete_sent ON outbox;
DROP POLICY outbox_app_all ON outbox;
ALTER TABLE outbox DISABLE ROW LEVEL SECURITY;
REVOKE DELETE ON outbox FROM booking_app;
