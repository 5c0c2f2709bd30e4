import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { eventsFor, startSink, type Sink } from './sink';

/**
 * The whole path in one process, as `npm start` runs it with K_SINK set: booking and
 * cancelling commit their event to the outbox, the fast path relays it to a real sink.
 */
let db: TestDatabase;
let app: RunningApp;
let sink: Sink;
let relayIdle: () => Promise<void>;

before(async () => {
  db = await createTestDatabase();
  sink = await startSink();
  app = await startApp(db.appUrl, { K_SINK: sink.url });
  ({ relayIdle } = await import('../../functions/core/outbox'));
});
after(async () => {
  await relayIdle();
  await app.close();
  await sink.stop();
  await db.drop();
});

const BOOKED = 'health.booking.appointment.booked.v1';
const CANCELLED = 'health.booking.appointment.cancelled.v1';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function openSlots(days: number, slotMinutes = 30): Promise<{ doctorId: number; slots: string[] }> {
  const doctorId = await addDoctor(db, { slotMinutes });
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  assert.equal(res.status, 200);
  return { doctorId, slots: res.body.slots.map((s: { start: string }) => s.start) };
}

const book = (doctorId: number, time: string, extra: Record<string, unknown> = {}) =>
  call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Grace Hopper', doctor_id: doctorId, appointment_time: time, ...extra } });

const cancel = (reference: string) => call(app.url, 'DELETE', `/api/appointments/${reference}`);

describe('appointment events', () => {
  test('book then cancel: the sink gets booked.v1 then cancelled.v1 with the documented attributes', async () => {
    const { doctorId, slots } = await openSlots(3);
    const booked = await book(doctorId, slots[0], { patient_email: 'grace@example.org', patient_phone: '+1 555 0100' });
    assert.equal(booked.status, 201);
    const appt = booked.body;
    assert.equal((await cancel(appt.reference)).status, 200);

    await sink.waitFor((r) => eventsFor(r, appt.id).length >= 2);
    // The sink has answered; the relay commits its mark just after.
    await relayIdle();
    const events = eventsFor(sink.received, appt.id);
    assert.deepEqual(events.map((e) => e.type), [BOOKED, CANCELLED], 'booked before cancelled');

    const { rows } = await db.owner.query(
      "SELECT event_id::text, type, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS time, sent_at FROM outbox WHERE subject = $1 ORDER BY id",
      [`appointments/${appt.id}`],
    );
    assert.equal(rows.length, 2);
    for (const [i, e] of events.entries()) {
      assert.equal(e.specversion, '1.0');
      assert.match(e.id, uuid);
      assert.equal(e.id, rows[i].event_id, 'the CloudEvent id is the outbox row event_id');
      assert.equal(e.time, rows[i].time, 'time is when the change committed');
      assert.notEqual(rows[i].sent_at, null, 'marked sent');
      assert.equal(e.subject, `appointments/${appt.id}`);
      assert.equal(e.datacontenttype, 'application/json');
      assert.deepEqual(Object.keys(e.data).sort(), ['appointment_time', 'doctor_id', 'end_time', 'id', 'status']);
      assert.deepEqual(e.data, { id: appt.id, doctor_id: doctorId, appointment_time: appt.appointment_time, end_time: appt.end_time, status: i === 0 ? 'booked' : 'cancelled' });
      const wire = JSON.stringify(e);
      for (const secret of ['Grace Hopper', 'grace@example.org', '555 0100', appt.reference]) assert.ok(!wire.includes(secret), `no ${secret} in the event`);
    }
    assert.notEqual(events[0].id, events[1].id);
    assert.equal(events[0].source, '/functions/create-booking');
    assert.equal(events[1].source, '/functions/cancel-booking');

    // Binary mode: attributes travel as ce- headers, the body is just the data.
    const first = sink.received.find((r) => r.event.id === events[0].id)!;
    assert.match(first.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(first.headers['ce-id'], events[0].id);
    assert.equal(first.headers['ce-specversion'], '1.0');
  });

  test('cancelling an already cancelled appointment is 200 and emits no second event', async () => {
    const { doctorId, slots } = await openSlots(4);
    const appt = (await book(doctorId, slots[1])).body;
    assert.equal((await cancel(appt.reference)).status, 200);
    await sink.waitFor((r) => eventsFor(r, appt.id).length >= 2);
    const again = await cancel(appt.reference);
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'cancelled');
    await relayIdle();
    const { rows } = await db.owner.query('SELECT type FROM outbox WHERE subject = $1', [`appointments/${appt.id}`]);
    assert.deepEqual(rows.map((r) => r.type).sort(), [BOOKED, CANCELLED]);
    assert.deepEqual(eventsFor(sink.received, appt.id).map((e) => e.type), [BOOKED, CANCELLED]);
  });

  test('an idempotent replay emits no second event', async () => {
    const { doctorId, slots } = await openSlots(5);
    const body = { patient_name: 'Replay', doctor_id: doctorId, appointment_time: slots[2] };
    const headers = { 'Idempotency-Key': 'events-replay-1' };
    const first = await call(app.url, 'POST', '/api/appointments', { body, headers });
    const second = await call(app.url, 'POST', '/api/appointments', { body, headers });
    assert.equal(first.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    await sink.waitFor((r) => eventsFor(r, first.body.id).length >= 1);
    await relayIdle();
    assert.equal(eventsFor(sink.received, first.body.id).length, 1);
  });

  test('the sink is down for 100 bookings: when it comes back all arrive, in order, and none for what rolled back', async () => {
    await sink.stop();
    const a = await openSlots(6, 5);
    const b = await openSlots(6, 5);
    const wanted = [...a.slots.slice(0, 50).map((t) => [a.doctorId, t] as const), ...b.slots.slice(0, 50).map((t) => [b.doctorId, t] as const)];
    assert.equal(wanted.length, 100);

    const booked: Array<{ id: number; reference: string }> = [];
    for (let i = 0; i < wanted.length; i += 10) {
      const answers = await Promise.all(wanted.slice(i, i + 10).map(([doctor, time]) => book(doctor, time)));
      for (const res of answers) {
        assert.equal(res.status, 201);
        booked.push(res.body);
      }
    }
    // Lost races roll back: a second booking of a taken slot is 409 and leaves no event.
    for (const [doctor, time] of wanted.slice(0, 5)) assert.equal((await book(doctor, time)).status, 409);
    // A transaction that wrote an appointment and then failed leaves no event either.
    const { database } = await import('../../functions/core/db');
    const { newReference } = await import('../../functions/core/booking');
    const { referenceHash } = await import('../../functions/core/privacy/seal');
    let rolledBackId: string | null = null;
    await assert.rejects(
      database().tx(async (t) => {
        const made = await t.appointments.create({
          referenceHash: referenceHash(newReference()), patientName: 'Rolled Back', contact: null, contactIndex: null, contactIndexes: null,
          futureBookingsCap: 0, doctorId: a.doctorId, appointmentTime: a.slots[60], source: '/functions/create-booking', horizonDays: 180,
        });
        rolledBackId = made.id;
        throw new Error('fail after the insert');
      }),
      /fail after the insert/,
    );
    assert.ok(rolledBackId, 'the insert had succeeded inside the transaction');
    // Ten of them are cancelled while the sink is still down.
    const cancelled = booked.slice(0, 10);
    for (const appt of cancelled) assert.equal((await cancel(appt.reference)).status, 200);
    await relayIdle();

    const ids = booked.map((x) => x.id);
    const subjects = ids.map((id) => `appointments/${id}`);
    const before = await db.owner.query('SELECT count(*)::int AS n, count(*) FILTER (WHERE attempts > 0)::int AS tried FROM outbox WHERE subject = ANY($1) AND sent_at IS NULL', [subjects]);
    assert.equal(before.rows[0].n, 110, 'every event waits in the outbox');
    assert.ok(before.rows[0].tried > 0, 'the fast path tried and backed off');
    const rolledBack = await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [`appointments/${rolledBackId}`]);
    assert.equal(rolledBack.rows[0].n, 0);

    await sink.start();
    // What npm start's timer (the PingSource, on Knative) does every minute, here every poll.
    const { runScheduledInBackground } = await import('../../functions/outbox-relay');
    await sink.waitFor(
      (r) => r.filter((x) => subjects.includes(x.event.subject ?? '')).length >= 110,
      30_000,
      () => runScheduledInBackground(),
    );
    await relayIdle();

    const mine = sink.received.filter((x) => subjects.includes(x.event.subject ?? '')).map((x) => x.event);
    assert.equal(mine.length, 110);
    assert.equal(new Set(mine.map((e) => e.id)).size, 110, 'no event twice');
    assert.deepEqual(new Set(mine.filter((e) => e.type === BOOKED).map((e) => e.data.id)), new Set(ids));
    for (const appt of cancelled) assert.deepEqual(eventsFor(sink.received, appt.id).map((e) => e.type), [BOOKED, CANCELLED]);
    assert.equal(sink.received.filter((x) => x.event.subject === `appointments/${rolledBackId}`).length, 0);
    const left = await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL');
    assert.equal(left.rows[0].n, 0);
  });
});
