import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/** Without K_SINK (npm start's default): events stay in the outbox, and the relay says so. */
let db: TestDatabase;
let app: RunningApp;
let single: RunningApp;

before(async () => {
  db = await createTestDatabase();
  delete process.env.K_SINK;
  app = await startApp(db.appUrl);
  // outbox-relay alone, as its Knative Service serves it.
  single = await startApp(db.appUrl, {}, (all) => all.filter((fn) => fn.name === 'outbox-relay'));
});
after(async () => {
  await single.close();
  await app.close();
  await db.drop();
});

test('without K_SINK a booking commits its event and nothing is sent', async () => {
  const doctorId = await addDoctor(db);
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(3)}`);
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Kept', doctor_id: doctorId, appointment_time: slots.body.slots[0].start } });
  assert.equal(res.status, 201);
  const { rows } = await db.owner.query('SELECT type, source, subject, attempts, sent_at FROM outbox');
  assert.deepEqual(rows, [{ type: 'health.booking.appointment.booked.v1', source: '/functions/create-booking', subject: `appointments/${res.body.id}`, attempts: 0, sent_at: null }]);
});

test('the PingSource trigger answers 200 with counts, and forgets expired idempotency keys', async () => {
  const doctorId = await addDoctor(db);
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(4)}`);
  const booked = await call(app.url, 'POST', '/api/appointments', {
    body: { patient_name: 'Keyed', doctor_id: doctorId, appointment_time: slots.body.slots[0].start },
    headers: { 'Idempotency-Key': 'old-key' },
  });
  assert.equal(booked.status, 201);
  await db.owner.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'");
  // What a PingSource sends: a binary-mode CloudEvent whose body is its configured data.
  const res = await call(single.url, 'POST', '/internal/outbox-relay', {
    body: { reason: 'schedule' },
    headers: { 'ce-specversion': '1.0', 'ce-type': 'dev.knative.sources.ping', 'ce-source': '/apis/v1/namespaces/clinic/pingsources/outbox-relay-every-minute', 'ce-id': 'ping-1' },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { sent: 0, failed: 0, batches: 0, stopped_by: 'no_sink', pending: 2, due: 2, idempotency_keys_forgotten: 1, sent_events_pruned: 0, patient_data_erased: 0, rate_limit_windows_pruned: 0 });
});

test('events sent over a week ago are pruned; the app can never delete an unsent one', async () => {
  await db.owner.query(
    `INSERT INTO outbox (type, source, subject, data, sent_at) VALUES
       ('health.booking.appointment.booked.v1', '/functions/create-booking', 'appointments/1', '{}', now() - interval '8 days'),
       ('health.booking.appointment.booked.v1', '/functions/create-booking', 'appointments/2', '{}', now() - interval '1 day')`,
  );
  const before = (await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')).rows[0].n;
  const res = await call(single.url, 'POST', '/internal/outbox-relay', { body: {} });
  assert.equal(res.body.sent_events_pruned, 1);
  const { rows } = await db.owner.query("SELECT subject FROM outbox WHERE sent_at IS NOT NULL");
  assert.deepEqual(rows.map((r) => r.subject), ['appointments/2']);
  const app = new pg.Client({ connectionString: db.appUrl });
  await app.connect();
  try {
    const attempt = await app.query('DELETE FROM outbox WHERE sent_at IS NULL');
    assert.equal(attempt.rowCount, 0, 'row-level security hides unsent events from DELETE');
  } finally {
    await app.end();
  }
  assert.equal((await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')).rows[0].n, before);
});

test('outbox-relay answers GET /healthz', async () => {
  const res = await call(single.url, 'GET', '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true });
});
