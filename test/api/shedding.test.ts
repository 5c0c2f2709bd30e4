import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * Past what the pool can serve in time, a request is answered 503 unavailable with Retry-After
 * at once (PG_MAX_WAITING), not queued into the 5 s acquire timeout: here a pool of 2 with at
 * most 2 waiting, while a lock holds every booking of the doctor.
 */
let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { PG_POOL_SIZE: '2', PG_MAX_WAITING: '2' });
});
after(async () => {
  await app.close();
  await db.drop();
});

test('requests past the waiting limit get 503 with Retry-After at once; the rest are served; none is a 500', async () => {
  const doctorId = await addDoctor(db, { slotMinutes: 5 });
  const slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(4)}`)).body.slots;
  const locker = new pg.Client({ connectionString: db.ownerUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE appointments IN EXCLUSIVE MODE');
  const began = Date.now();
  const pending = slots.slice(0, 12).map((s: { start: string }) =>
    call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Rush', doctor_id: doctorId, appointment_time: s.start } }).then((r) => ({ ...r, ms: Date.now() - began })),
  );
  await new Promise((r) => setTimeout(r, 1_500));
  await locker.query('COMMIT');
  await locker.end();
  const answers = await Promise.all(pending);
  const shed = answers.filter((a) => a.status === 503);
  const booked = answers.filter((a) => a.status === 201);
  assert.equal(shed.length + booked.length, answers.length, `other statuses: ${answers.map((a) => a.status)}`);
  assert.ok(shed.length >= 6, `only ${shed.length} shed`);
  assert.ok(booked.length >= 2, `only ${booked.length} booked`);
  for (const a of shed) {
    assert.equal(a.body.error, 'unavailable');
    assert.equal(a.headers.get('retry-after'), '5');
    // Shed before the lock was let go: it did not wait in the queue.
    assert.ok(a.ms < 1_500, `shed after ${a.ms} ms`);
  }
  const stored = Number((await db.owner.query('SELECT count(*) AS n FROM appointments WHERE doctor_id = $1', [doctorId])).rows[0].n);
  assert.equal(stored, booked.length);
});
