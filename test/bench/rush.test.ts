import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countDoubleBookings, runRush } from '../../scripts/lib/bench/rush';
import { startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  // One test address books them all: the per-address limit is for patients, not for this.
  app = await startApp(db.appUrl, { BOOKING_RATE_PER_ADDRESS: '1000' });
});
after(async () => {
  await app.close();
  await db.drop();
});

test('a rush on three slots: three bookings, everyone else hears "fully booked" or gives up, nothing double-booked', async () => {
  const every = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' }));
  const doctorId = await addDoctor(db, { slotMinutes: 60, hours: every });
  const r = await runRush(app.url, { patients: 15, overS: 0.3, days: [futureDate(5)], doctorIds: [doctorId], retries: 3, sockets: 8, requestTimeoutMs: 5_000, deadlineS: 20 }, () => countDoubleBookings(db.owner));
  assert.equal(r.outcomes.booked, 3, JSON.stringify(r));
  assert.equal(r.outcomes.failed, 0, r.failures.join('; '));
  assert.equal(r.outcomes.booked + r.outcomes['fully-booked'] + r.outcomes['gave-up'], 15);
  assert.equal(r.status5xx, 0);
  assert.equal(r.doubleBookings, 0);
  assert.equal(r.posts, r.outcomes.booked + r.conflicts, 'every booking attempt was a 201 or a 409');
  const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND status = 'booked'", [doctorId]);
  assert.equal(rows[0].n, 3);
});

test('the double-booking count sees overlapping booked rows', async () => {
  const doctorId = await addDoctor(db, { slotMinutes: 30 });
  const day = futureDate(6);
  for (const time of ['10:00', '11:00']) {
    const res = await fetch(`${app.url}/api/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patient_name: 'Rush Patient', doctor_id: doctorId, appointment_time: `${day}T${time}:00Z` }),
    });
    assert.equal(res.status, 201);
  }
  assert.equal(await countDoubleBookings(db.owner), 0);
  // The exclusion constraint refuses an overlap, so lift it inside a transaction that is rolled back,
  // and move the 11:00 booking onto the 10:00 one.
  await db.owner.query('BEGIN');
  try {
    const { rows } = await db.owner.query<{ conname: string }>("SELECT conname FROM pg_constraint WHERE conrelid = 'appointments'::regclass AND contype = 'x'");
    for (const c of rows) await db.owner.query(`ALTER TABLE appointments DROP CONSTRAINT ${c.conname}`);
    await db.owner.query("UPDATE appointments SET appointment_time = $2::timestamptz, end_time = $2::timestamptz + interval '30 minutes' WHERE doctor_id = $1 AND appointment_time = $3", [doctorId, `${day}T10:15:00Z`, `${day}T11:00:00Z`]);
    assert.equal(await countDoubleBookings(db.owner), 1);
  } finally {
    await db.owner.query('ROLLBACK');
  }
});
