import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl);
});
after(async () => {
  await app.close();
  await db.drop();
});

/** A fresh doctor and the start times of their open slots on a future day. */
async function openSlots(days = 5): Promise<{ doctorId: number; slots: string[] }> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  return { doctorId, slots: res.body.slots.map((s: { start: string }) => s.start) };
}

const book = (body: unknown, headers: Record<string, string> = {}, path = '/api/appointments') =>
  call(app.url, 'POST', path, { body, headers });

async function rowsFor(doctorId: number): Promise<number> {
  const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1', [doctorId]);
  return rows[0].n;
}

describe('POST /api/appointments', () => {
  test('201 with the Appointment, a relative Location and an unguessable reference', async () => {
    const { doctorId, slots } = await openSlots();
    const res = await book({ patient_name: '  Ada Lovelace  ', doctor_id: doctorId, appointment_time: slots[0], patient_email: 'ada@example.org', patient_phone: '+44 20 7946 0000' });
    assert.equal(res.status, 201);
    const a = res.body;
    assert.deepEqual(Object.keys(a).sort(), ['appointment_time', 'created_at', 'doctor_id', 'end_time', 'id', 'patient_name', 'reference', 'status'].sort());
    assert.equal(a.patient_name, 'Ada Lovelace', 'trimmed');
    assert.equal(a.doctor_id, doctorId);
    assert.equal(a.appointment_time, slots[0]);
    assert.equal(new Date(a.end_time).getTime() - new Date(a.appointment_time).getTime(), 30 * 60_000);
    assert.equal(a.status, 'booked');
    assert.match(a.created_at, /Z$/);
    assert.match(a.reference, /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(res.headers.get('location'), `/api/appointments/${a.reference}`);
    // Stored sealed (test/privacy reads it back), never in clear.
    const { rows } = await db.owner.query('SELECT patient_email, patient_phone, patient_contact IS NOT NULL AS sealed FROM appointments WHERE id = $1', [a.id]);
    assert.deepEqual(rows[0], { patient_email: null, patient_phone: null, sealed: true });
  });

  test('accepts a time given with another offset for the same instant', async () => {
    const { doctorId, slots } = await openSlots();
    const instant = new Date(slots[2]);
    const withOffset = new Date(instant.getTime() + 5.5 * 3_600_000).toISOString().replace('.000Z', '+05:30');
    const res = await book({ patient_name: 'Offset', doctor_id: doctorId, appointment_time: withOffset });
    assert.equal(res.status, 201);
    assert.equal(res.body.appointment_time, slots[2]);
  });

  test('the seed alias POST /book-appointment books too', async () => {
    const { doctorId, slots } = await openSlots();
    const res = await book({ patient_name: 'Alias', doctor_id: doctorId, appointment_time: slots[0] }, {}, '/book-appointment');
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `/api/appointments/${res.body.reference}`);
  });

  test('blank contact fields are stored as absent', async () => {
    const { doctorId, slots } = await openSlots();
    const res = await book({ patient_name: 'Blank', doctor_id: doctorId, appointment_time: slots[0], patient_email: ' ', patient_phone: null });
    assert.equal(res.status, 201);
    const { rows } = await db.owner.query('SELECT patient_email, patient_phone FROM appointments WHERE id = $1', [res.body.id]);
    assert.deepEqual(rows[0], { patient_email: null, patient_phone: null });
  });

  const invalid: Array<[string, (doctorId: number, slot: string) => unknown, string]> = [
    ['missing patient_name', (d, s) => ({ doctor_id: d, appointment_time: s }), 'patient_name'],
    ['empty patient_name', (d, s) => ({ patient_name: '', doctor_id: d, appointment_time: s }), 'patient_name'],
    ['whitespace patient_name', (d, s) => ({ patient_name: '   ', doctor_id: d, appointment_time: s }), 'patient_name'],
    ['101-character patient_name', (d, s) => ({ patient_name: 'x'.repeat(101), doctor_id: d, appointment_time: s }), 'patient_name'],
    ['control character in patient_name', (d, s) => ({ patient_name: 'Ann\u0000', doctor_id: d, appointment_time: s }), 'patient_name'],
    ['newline in patient_name', (d, s) => ({ patient_name: 'Ann\nBob', doctor_id: d, appointment_time: s }), 'patient_name'],
    ['patient_name not a string', (d, s) => ({ patient_name: 42, doctor_id: d, appointment_time: s }), 'patient_name'],
    ['doctor_id as string', (d, s) => ({ patient_name: 'A', doctor_id: String(d), appointment_time: s }), 'doctor_id'],
    ['doctor_id zero', (_d, s) => ({ patient_name: 'A', doctor_id: 0, appointment_time: s }), 'doctor_id'],
    ['doctor_id negative', (_d, s) => ({ patient_name: 'A', doctor_id: -3, appointment_time: s }), 'doctor_id'],
    ['doctor_id fractional', (_d, s) => ({ patient_name: 'A', doctor_id: 1.5, appointment_time: s }), 'doctor_id'],
    ['missing appointment_time', (d) => ({ patient_name: 'A', doctor_id: d }), 'appointment_time'],
    ['appointment_time without offset', (d, s) => ({ patient_name: 'A', doctor_id: d, appointment_time: s.replace('.000Z', '') }), 'appointment_time'],
    ['appointment_time as words', (d) => ({ patient_name: 'A', doctor_id: d, appointment_time: 'next tuesday' }), 'appointment_time'],
    ['appointment_time as epoch number', (d, s) => ({ patient_name: 'A', doctor_id: d, appointment_time: Date.parse(s) }), 'appointment_time'],
    ['impossible calendar time', (d) => ({ patient_name: 'A', doctor_id: d, appointment_time: '2026-02-30T10:00:00Z' }), 'appointment_time'],
    ['bad e-mail', (d, s) => ({ patient_name: 'A', doctor_id: d, appointment_time: s, patient_email: 'not-an-email' }), 'patient_email'],
    ['bad phone', (d, s) => ({ patient_name: 'A', doctor_id: d, appointment_time: s, patient_phone: 'call me maybe' }), 'patient_phone'],
    ['unknown field', (d, s) => ({ patient_name: 'A', doctor_id: d, appointment_time: s, status: 'cancelled' }), 'status'],
    ['array body', (d, s) => [{ patient_name: 'A', doctor_id: d, appointment_time: s }], ''],
  ];
  for (const [name, body, field] of invalid) {
    test(`400 for ${name}, and nothing stored`, async () => {
      const { doctorId, slots } = await openSlots();
      const res = await book(body(doctorId, slots[0]));
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_request');
      assert.ok(Array.isArray(res.body.issues));
      if (field) assert.ok(res.body.issues.some((i: { path: string }) => i.path === field), JSON.stringify(res.body.issues));
      assert.equal(await rowsFor(doctorId), 0);
    });
  }

  test('404 for a doctor that does not exist', async () => {
    const { slots } = await openSlots();
    const res = await book({ patient_name: 'A', doctor_id: 999_999, appointment_time: slots[0] });
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'not_found');
  });

  test('422 for a past time, an off-grid time, and a time outside working hours', async () => {
    const doctorId = await addDoctor(db, { hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })) });
    const monday = '2027-01-04';
    const cases = [
      ['2020-01-06T09:00:00Z', /past/],
      [`${monday}T09:10:00Z`, /grid|hours/],
      [`${monday}T12:00:00Z`, /grid|hours/],
      [`${monday}T07:00:00Z`, /grid|hours/],
      ['2027-01-03T09:00:00Z', /grid|hours/], // Sunday: no hours
    ] as const;
    for (const [time, message] of cases) {
      const res = await book({ patient_name: 'A', doctor_id: doctorId, appointment_time: time });
      assert.equal(res.status, 422, time);
      assert.equal(res.body.error, 'not_bookable');
      assert.match(res.body.message, message);
    }
    assert.equal(await rowsFor(doctorId), 0);
    const ok = await book({ patient_name: 'A', doctor_id: doctorId, appointment_time: `${monday}T11:30:00Z` });
    assert.equal(ok.status, 201, 'the last slot of the morning is bookable');
  });

  test('409 slot_taken for a booked slot; overlapping slot of another length too', async () => {
    const { doctorId, slots } = await openSlots();
    assert.equal((await book({ patient_name: 'First', doctor_id: doctorId, appointment_time: slots[0] })).status, 201);
    const again = await book({ patient_name: 'Second', doctor_id: doctorId, appointment_time: slots[0] });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'slot_taken');
    assert.doesNotMatch(again.text, /Second|First/);
    // The doctor's slot length changes; a new slot overlapping the old booking is still refused by the database.
    await db.owner.query('UPDATE doctors SET slot_minutes = 60 WHERE id = $1', [doctorId]);
    const overlapping = await book({ patient_name: 'Third', doctor_id: doctorId, appointment_time: slots[0] });
    assert.equal(overlapping.status, 409);
  });

  test('50 concurrent bookings of one slot: one 201, 49 409s, one row', async () => {
    const { doctorId, slots } = await openSlots();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => book({ patient_name: `Racer ${i}`, doctor_id: doctorId, appointment_time: slots[3] })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 49);
    assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.error === 'slot_taken'));
    assert.equal(await rowsFor(doctorId), 1);
  });

  test('a 409 does not throw away the pooled connection', async () => {
    const { doctorId, slots } = await openSlots();
    await book({ patient_name: 'Holder', doctor_id: doctorId, appointment_time: slots[0] });
    await book({ patient_name: 'Warm', doctor_id: doctorId, appointment_time: slots[1] });
    // Only a superuser sees other roles' backend_start.
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    const backends = async () =>
      (
        await admin.query(
          "SELECT pid, backend_start FROM pg_stat_activity WHERE usename = 'booking_app' AND datname = $1 ORDER BY pid",
          [db.name],
        )
      ).rows.map((r) => `${r.pid}@${r.backend_start.toISOString()}`);
    const before = await backends();
    assert.ok(before.length > 0);
    for (let i = 0; i < 20; i++) {
      const res = await book({ patient_name: 'Loser', doctor_id: doctorId, appointment_time: slots[0] });
      assert.equal(res.status, 409);
    }
    assert.deepEqual(await backends(), before, 'same server backends before and after 20 conflicts');
    await admin.end();
  });
});

describe('Idempotency-Key', () => {
  test('a replay returns the first answer: same status, same appointment, one row', async () => {
    const { doctorId, slots } = await openSlots();
    const body = { patient_name: 'Idem', doctor_id: doctorId, appointment_time: slots[0] };
    const first = await book(body, { 'Idempotency-Key': 'key-replay-1' });
    const second = await book(body, { 'Idempotency-Key': 'key-replay-1' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('location'), first.headers.get('location'));
    assert.equal(await rowsFor(doctorId), 1);
  });

  test('the same key with a different body is 422 idempotency_key_reused', async () => {
    const { doctorId, slots } = await openSlots();
    await book({ patient_name: 'One', doctor_id: doctorId, appointment_time: slots[0] }, { 'Idempotency-Key': 'key-reuse' });
    const res = await book({ patient_name: 'One', doctor_id: doctorId, appointment_time: slots[1] }, { 'Idempotency-Key': 'key-reuse' });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'idempotency_key_reused');
    assert.equal(await rowsFor(doctorId), 1);
  });

  test('20 concurrent requests with one key give one appointment; the others replay it or are told it is in progress', async () => {
    const { doctorId, slots } = await openSlots();
    const body = { patient_name: 'Burst', doctor_id: doctorId, appointment_time: slots[0] };
    const results = await Promise.all(Array.from({ length: 20 }, () => book(body, { 'Idempotency-Key': 'key-burst' })));
    assert.equal(await rowsFor(doctorId), 1);
    const created = results.filter((r) => r.status === 201);
    assert.ok(created.length >= 1);
    assert.ok(created.every((r) => r.body.id === created[0].body.id));
    for (const r of results.filter((r) => r.status !== 201)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error, 'request_in_progress');
      assert.equal(r.headers.get('retry-after'), '1');
    }
  });

  test('the key is kept in the database: a new pool (a restarted process) still replays', async () => {
    const { doctorId, slots } = await openSlots();
    const body = { patient_name: 'Restart', doctor_id: doctorId, appointment_time: slots[0] };
    const first = await book(body, { 'Idempotency-Key': 'key-restart' });
    const { closeDatabase } = await import('../../functions/core/db');
    await closeDatabase();
    const again = await book(body, { 'Idempotency-Key': 'key-restart' });
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
  });

  test('a failed request is not remembered: after the slot frees up the same key books', async () => {
    const { doctorId, slots } = await openSlots();
    const holder = await book({ patient_name: 'Holder', doctor_id: doctorId, appointment_time: slots[0] });
    const body = { patient_name: 'Waiting', doctor_id: doctorId, appointment_time: slots[0] };
    assert.equal((await book(body, { 'Idempotency-Key': 'key-after-409' })).status, 409);
    await call(app.url, 'DELETE', `/api/appointments/${holder.body.reference}`);
    assert.equal((await book(body, { 'Idempotency-Key': 'key-after-409' })).status, 201);
  });

  for (const [name, key] of [['empty', ''], ['too long', 'k'.repeat(129)], ['with a space', 'a b'], ['non-ASCII', 'clé']] as const) {
    test(`400 for a key that is ${name}`, async () => {
      const { doctorId, slots } = await openSlots();
      const res = await fetch(`${app.url}/api/appointments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': encodeURIComponent(key) === key ? key : Buffer.from(key).toString('latin1') },
        body: JSON.stringify({ patient_name: 'K', doctor_id: doctorId, appointment_time: slots[0] }),
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, 'invalid_request');
      assert.equal(await rowsFor(doctorId), 0);
    });
  }

  test('a 128-character key is accepted', async () => {
    const { doctorId, slots } = await openSlots();
    const res = await book({ patient_name: 'Long key', doctor_id: doctorId, appointment_time: slots[0] }, { 'Idempotency-Key': '~'.repeat(128) });
    assert.equal(res.status, 201);
  });
});
