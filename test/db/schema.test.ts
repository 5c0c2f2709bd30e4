import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { migrate, seedIfEmpty } from '../../scripts/migrate';
import { addDoctor, createTestDatabase, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let app: pg.Client;
before(async () => {
  db = await createTestDatabase();
  app = new pg.Client({ connectionString: db.appUrl });
  await app.connect();
});
after(async () => {
  await app.end();
  await db.drop();
});

const deniedCode = '42501';

test('the app role owns no table and cannot run DDL', async () => {
  const { rows } = await db.owner.query("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'");
  assert.ok(rows.length >= 5);
  assert.ok(rows.every((r) => r.tableowner === 'booking_owner'), JSON.stringify(rows));
  for (const ddl of ['CREATE TABLE sneaky (id int)', 'DROP TABLE appointments', 'ALTER TABLE appointments ADD COLUMN x int', 'TRUNCATE appointments']) {
    await assert.rejects(app.query(ddl), (err: { code?: string }) => err.code === deniedCode || err.code === '42P01', ddl);
  }
});

test('the app role cannot delete appointments, and may rewrite only what booking, moving, cancelling, resealing and the admin schedule API need', async () => {
  const doctorId = await addDoctor(db);
  await db.owner.query(
    "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256('priv-test-reference-0001'), 'P', $1, '2030-01-01T09:00Z', '2030-01-01T09:30Z')",
    [doctorId],
  );
  await assert.rejects(app.query('DELETE FROM appointments'), { code: deniedCode });
  await assert.rejects(app.query("UPDATE appointments SET patient_name = 'X'"), { code: deniedCode });
  // Who the patient is, which doctor and which reference stay as booked; erasure empties a name
  // only through erase_patient_data(), never by an UPDATE of the app's.
  for (const column of ['doctor_id = 1', 'reference_hash = NULL', 'created_at = now()', 'patient_contact = NULL, patient_name = NULL']) {
    await assert.rejects(app.query(`UPDATE appointments SET ${column}`), { code: deniedCode }, column);
  }
  const { rows } = await db.owner.query(
    "SELECT column_name FROM information_schema.column_privileges WHERE table_name = 'appointments' AND grantee = 'booking_app' AND privilege_type = 'UPDATE' ORDER BY column_name",
  );
  assert.deepEqual(rows.map((r: { column_name: string }) => r.column_name), [
    'appointment_time', 'cancel_reason', 'cancelled_at', 'contact_index', 'contact_key_id', 'end_time',
    'patient_contact', 'patient_email', 'patient_phone', 'revision', 'status', 'status_changed_at',
  ]);
  // The admin schedule API (migration 021) writes the schedule: doctors and types are changed
  // and deactivated, never deleted; hours, overrides, time off and holidays are replaced.
  for (const statement of ['DELETE FROM doctors', 'DELETE FROM appointment_types', 'DELETE FROM booking_rules', 'DELETE FROM doctor_booking_rules', 'UPDATE doctors SET id = id', 'UPDATE appointment_types SET doctor_id = doctor_id']) {
    await assert.rejects(app.query(statement), { code: deniedCode }, statement);
  }
  const schedule = ['appointment_types', 'booking_rules', 'clinic_holidays', 'doctor_booking_rules', 'doctors', 'schedule_changes', 'schedule_overrides', 'time_off', 'working_hours'];
  const grants = await db.owner.query(
    `SELECT table_name || ' ' || string_agg(privilege_type, ',' ORDER BY privilege_type) AS grant FROM information_schema.role_table_grants
     WHERE grantee = 'booking_app' AND table_name = ANY ($1) GROUP BY table_name ORDER BY table_name`,
    [schedule],
  );
  assert.deepEqual(grants.rows.map((r: { grant: string }) => r.grant), [
    'appointment_types INSERT,SELECT', 'booking_rules SELECT', 'clinic_holidays DELETE,INSERT,SELECT', 'doctor_booking_rules INSERT,SELECT',
    'doctors INSERT,SELECT', 'schedule_changes INSERT,SELECT,UPDATE', 'schedule_overrides DELETE,INSERT,SELECT', 'time_off DELETE,INSERT,SELECT',
    'working_hours DELETE,INSERT,SELECT',
  ]);
  const updatable = await db.owner.query(
    `SELECT table_name || '.' || column_name AS col FROM information_schema.column_privileges
     WHERE grantee = 'booking_app' AND privilege_type = 'UPDATE' AND table_name = ANY ($1) AND table_name <> 'schedule_changes' ORDER BY 1`,
    [schedule],
  );
  assert.deepEqual(updatable.rows.map((r: { col: string }) => r.col), [
    'appointment_types.active', 'appointment_types.is_default', 'appointment_types.minutes', 'appointment_types.name',
    'booking_rules.cancel_cutoff_minutes', 'booking_rules.horizon_days', 'booking_rules.min_notice_minutes', 'booking_rules.reschedule_cutoff_minutes',
    'doctor_booking_rules.cancel_cutoff_minutes', 'doctor_booking_rules.horizon_days', 'doctor_booking_rules.min_notice_minutes', 'doctor_booking_rules.reschedule_cutoff_minutes',
    'doctors.active', 'doctors.name', 'doctors.slot_minutes', 'doctors.specialty', 'doctors.timezone',
  ]);
  await app.query("UPDATE appointments SET status = 'cancelled', cancelled_at = now() WHERE reference_hash = sha256('priv-test-reference-0001')");
});

test('the database itself refuses overlapping booked appointments, but not cancelled ones', async () => {
  const doctorId = await addDoctor(db);
  const insert = (ref: string, start: string, end: string, status = 'booked') =>
    db.owner.query('INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time, status) VALUES ($1, $2, $3, $4, $5, $6)', [ref === 'bad ref!' ? Buffer.from(ref) : createHash('sha256').update(ref).digest(), 'P', doctorId, start, end, status]);
  await insert('overlap-a', '2031-01-01T09:00Z', '2031-01-01T09:30Z');
  await assert.rejects(insert('overlap-b', '2031-01-01T09:15Z', '2031-01-01T09:45Z'), { code: '23P01' });
  await insert('overlap-c', '2031-01-01T09:30Z', '2031-01-01T10:00Z'); // touching, not overlapping
  await insert('overlap-d', '2031-01-01T09:00Z', '2031-01-01T09:30Z', 'cancelled');
  await assert.rejects(insert('bad ref!', '2031-01-02T09:00Z', '2031-01-02T09:30Z'), { code: '23514' });
  await assert.rejects(db.owner.query("INSERT INTO doctors (name, specialty, timezone) VALUES ('x', 'y', 'Mars/Olympus')"), { code: '23514' });
});

test('migrations are idempotent and the demo seed loads once: 12 doctors, 3+ time zones, working hours', async () => {
  await migrate(db.ownerUrl);
  await db.owner.query('DELETE FROM appointments');
  await db.owner.query('DELETE FROM working_hours');
  await db.owner.query('DELETE FROM doctors');
  assert.equal(await seedIfEmpty(db.ownerUrl), true);
  assert.equal(await seedIfEmpty(db.ownerUrl), false);
  const { rows } = await db.owner.query(
    'SELECT count(*)::int AS doctors, count(DISTINCT timezone)::int AS zones, (SELECT count(DISTINCT doctor_id)::int FROM working_hours) AS with_hours FROM doctors',
  );
  assert.deepEqual(rows[0], { doctors: 12, zones: 4, with_hours: 12 });
});

test('a test database has the settings migrations gave the template (statement_timeout for the app, none for the owner)', async () => {
  const { createTestDatabase } = await import('../helpers/db');
  const fresh = await createTestDatabase();
  try {
    const app = new pg.Client({ connectionString: fresh.appUrl });
    await app.connect();
    const appTimeout = (await app.query('SHOW statement_timeout')).rows[0].statement_timeout;
    await app.end();
    assert.equal(appTimeout, '10s');
    assert.equal((await fresh.owner.query('SHOW statement_timeout')).rows[0].statement_timeout, '0');
  } finally {
    await fresh.drop();
  }
});
