import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as v from 'valibot';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let app: RunningApp;

before(async () => {
  db = await createTestDatabase();
  // Limits off: twenty patients from one address in a second is this test, not an attack.
  app = await startApp(db.appUrl, { BOOKING_LIMITS: 'off', LOG_LEVEL: 'error' });
});

after(async () => {
  await app?.close();
  await db?.drop();
});

async function book(doctorId: number, time: string) {
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Pat Example', doctor_id: doctorId, appointment_time: time, patient_email: 'pat@example.org' } });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: number; reference: string; appointment_time: string };
}

const reschedule = (reference: string, body: unknown) => call(app.url, 'POST', `/api/appointments/${reference}/reschedule`, { body });
const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:30' }));

describe('reschedule', () => {
  test('20 patients moving onto one free slot: one 200, nineteen 409, and each loser keeps its booking', async () => {
    const doctorId = await addDoctor(db, { timezone: 'UTC', slotMinutes: 15 });
    const day = futureDate(10);
    const slot = (i: number) => new Date(Date.parse(`${day}T09:00:00Z`) + i * 15 * 60_000).toISOString();
    const patients = [];
    for (let i = 0; i < 20; i++) patients.push(await book(doctorId, slot(i)));
    const free = slot(25);
    const answers = await Promise.all(patients.map((p) => reschedule(p.reference, { appointment_time: free })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, ...Array(19).fill(409)]);
    for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.body.error, 'slot_taken');
    const winner = patients[answers.findIndex((a) => a.status === 200)]!;
    for (const [i, p] of patients.entries()) {
      const now = await call(app.url, 'GET', `/api/appointments/${p.reference}`);
      assert.equal(now.body.id, p.id, 'same id');
      assert.equal(now.body.status, 'booked');
      assert.equal(now.body.appointment_time, p === winner ? free : slot(i), p === winner ? 'the winner moved' : 'a loser keeps the booking it had');
    }
    // The winner's old time is free the moment it committed; the new one is taken.
    const slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`)).body.slots as Array<{ start: string; available: boolean }>;
    assert.equal(slots.find((s) => s.start === winner.appointment_time)?.available, true);
    assert.equal(slots.find((s) => s.start === free)?.available, false);
    const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND status = 'booked'", [doctorId]);
    assert.equal(rows[0].n, 20, 'moved, not copied');
    const events = await db.owner.query("SELECT data FROM outbox WHERE type = 'health.booking.appointment.rescheduled.v1' AND subject = $1", [`appointments/${winner.id}`]);
    assert.equal(events.rows.length, 1, 'one event, for the one move');
    assert.deepEqual(Object.keys(events.rows[0].data).sort(), ['appointment_time', 'doctor_id', 'end_time', 'id', 'previous_appointment_time', 'previous_end_time', 'sequence', 'status']);
    assert.equal(events.rows[0].data.previous_appointment_time, winner.appointment_time);
    assert.equal(events.rows[0].data.appointment_time, free);
    assert.equal(events.rows[0].data.sequence, 1);
  });

  test('the audit log accepts the rescheduled event and refuses one without its old time', async () => {
    const { AppointmentEventSchema } = await import('../../functions/core/schemas/events');
    const event = {
      id: 'e1', source: '/functions/reschedule-booking', type: 'health.booking.appointment.rescheduled.v1', subject: 'appointments/3',
      data: { id: 3, doctor_id: 1, appointment_time: '2030-01-01T10:00:00.000Z', end_time: '2030-01-01T10:30:00.000Z', status: 'booked', previous_appointment_time: '2030-01-01T09:00:00.000Z', previous_end_time: '2030-01-01T09:30:00.000Z', sequence: 1 },
    };
    assert.ok(v.safeParse(AppointmentEventSchema, event).success);
    const { previous_appointment_time: _, ...without } = event.data;
    assert.equal(v.safeParse(AppointmentEventSchema, { ...event, data: without }).success, false);
    assert.equal(v.safeParse(AppointmentEventSchema, { ...event, type: 'health.booking.appointment.booked.v1' }).success, false);
  });

  test('refusals change nothing: cancelled, within the cutoff, not a slot, unknown fields, unknown reference', async () => {
    const doctorId = await addDoctor(db, { hours: allDay });
    const day = futureDate(12);
    const a = await book(doctorId, `${day}T10:00:00.000Z`);
    const cases: Array<[string, unknown, number, string]> = [
      ['off the slot grid', { appointment_time: `${day}T10:10:00Z` }, 422, 'not_bookable'],
      ['in the past', { appointment_time: '2020-01-01T10:00:00Z' }, 422, 'not_bookable'],
      ['an appointment type (not built yet)', { appointment_time: `${day}T11:00:00Z`, appointment_type_id: 1 }, 400, 'invalid_request'],
      ['no time', {}, 400, 'invalid_request'],
    ];
    for (const [what, body, status, code] of cases) {
      const res = await reschedule(a.reference, body);
      assert.equal(res.status, status, what);
      assert.equal(res.body.error, code, what);
    }
    assert.equal((await reschedule('A'.repeat(22), { appointment_time: `${day}T11:00:00Z` })).status, 404);
    // Soon: the next slot starting within RESCHEDULE_CUTOFF_HOURS (2).
    const next = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(0)}`)).body.slots.concat(
      (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(1)}`)).body.slots,
    ).find((s: { start: string; available: boolean }) => s.available && Date.parse(s.start) > Date.now() + 60_000 && Date.parse(s.start) < Date.now() + 2 * 3_600_000);
    const soon = await book(doctorId, next.start);
    const late = await reschedule(soon.reference, { appointment_time: `${day}T12:00:00Z` });
    assert.equal(late.status, 422);
    assert.match(late.body.message, /2 hours/);
    const lateCancel = await call(app.url, 'DELETE', `/api/appointments/${soon.reference}`);
    assert.equal(lateCancel.status, 422, 'a patient cannot cancel within the cutoff either');
    assert.equal((await call(app.url, 'DELETE', `/api/appointments/${a.reference}`)).status, 200);
    const cancelled = await reschedule(a.reference, { appointment_time: `${day}T11:00:00Z` });
    assert.equal(cancelled.status, 422);
    const { rows } = await db.owner.query('SELECT id, status, utc_iso(appointment_time) AS t, revision FROM appointments WHERE id = ANY($1) ORDER BY id', [[a.id, soon.id]]);
    assert.deepEqual(rows, [
      { id: String(a.id), status: 'cancelled', t: `${day}T10:00:00.000Z`, revision: 0 },
      { id: String(soon.id), status: 'booked', t: soon.appointment_time, revision: 0 },
    ]);
  });
});

describe('cancel with a reason', () => {
  test('DELETE with a reason keeps it; POST .../cancel too; DELETE without a body still works', async () => {
    const doctorId = await addDoctor(db);
    const day = futureDate(14);
    const [a, b, c] = [await book(doctorId, `${day}T09:00:00.000Z`), await book(doctorId, `${day}T09:30:00.000Z`), await book(doctorId, `${day}T10:00:00.000Z`)];
    assert.equal((await call(app.url, 'DELETE', `/api/appointments/${a.reference}`, { body: { reason: '  Feeling better  ' } })).status, 200);
    assert.equal((await call(app.url, 'POST', `/api/appointments/${b.reference}/cancel`, { body: { reason: 'Moved away' } })).status, 200);
    const plain = await call(app.url, 'DELETE', `/api/appointments/${c.reference}`);
    assert.equal(plain.status, 200);
    assert.equal(plain.body.status, 'cancelled');
    const { rows } = await db.owner.query('SELECT cancel_reason FROM appointments WHERE id = ANY($1) ORDER BY id', [[a.id, b.id, c.id]]);
    assert.deepEqual(rows.map((r) => r.cancel_reason), ['Feeling better', 'Moved away', null]);
  });

  test('a bad reason is a 400 and cancels nothing', async () => {
    const doctorId = await addDoctor(db);
    const a = await book(doctorId, `${futureDate(15)}T09:00:00.000Z`);
    const bad: Array<[string, unknown]> = [
      ['a control character', { reason: 'ok\u0007' }],
      ['a line break', { reason: 'one\ntwo' }],
      ['too long', { reason: 'x'.repeat(501) }],
      ['empty', { reason: '   ' }],
      ['an unknown field', { reason: 'ok', note: 'x' }],
    ];
    for (const [what, body] of bad) {
      const res = await call(app.url, 'POST', `/api/appointments/${a.reference}/cancel`, { body });
      assert.equal(res.status, 400, what);
      assert.equal(res.body.error, 'invalid_request', what);
    }
    assert.equal((await call(app.url, 'POST', `/api/appointments/${a.reference}/cancel`)).status, 415, 'POST .../cancel needs its body');
    const { rows } = await db.owner.query('SELECT status, cancel_reason FROM appointments WHERE id = $1', [a.id]);
    assert.deepEqual(rows[0], { status: 'booked', cancel_reason: null });
  });
});
