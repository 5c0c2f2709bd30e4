import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudEvent } from 'cloudevents';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * Issue 14: the audit trail does not depend on the Broker. Each event is in audit_log in the
 * same transaction as the change that made it, with no sink configured at all; one that rolled
 * back is not; and the consumer, when the Broker does deliver the event, adds nothing.
 */
let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  delete process.env.K_SINK;
  app = await startApp(db.appUrl);
});
after(async () => {
  await app.close();
  await db.drop();
});

const auditOf = async (appointmentId: number) =>
  (await db.owner.query('SELECT event_source, event_id, event_type FROM audit_log WHERE appointment_id = $1 ORDER BY id', [appointmentId])).rows;

test('a booking and its cancellation are audited as they commit, with no Broker in sight', async () => {
  const doctorId = await addDoctor(db);
  const slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(3)}`)).body.slots;
  const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Audited Ann', doctor_id: doctorId, appointment_time: slots[0].start } });
  assert.equal(booked.status, 201);
  const id = booked.body.id;
  const afterBooking = await auditOf(id);
  assert.deepEqual(afterBooking.map((r) => r.event_type), ['health.booking.appointment.booked.v1']);
  const outbox = (await db.owner.query("SELECT event_id::text, source FROM outbox WHERE subject = $1 ORDER BY id", [`appointments/${id}`])).rows;
  assert.equal(outbox.length, 1, 'the event still waits in the outbox for the Broker');
  assert.deepEqual([afterBooking[0].event_source, afterBooking[0].event_id], [outbox[0].source, outbox[0].event_id], 'the same (source, id) the relay will send');

  assert.equal((await call(app.url, 'DELETE', `/api/appointments/${booked.body.reference}`)).status, 200);
  assert.deepEqual((await auditOf(id)).map((r) => r.event_type), ['health.booking.appointment.booked.v1', 'health.booking.appointment.cancelled.v1']);

  // The Broker delivers it later: the consumer finds it recorded and adds nothing.
  const { database } = await import('../../functions/core/db');
  const { AppointmentEventSchema } = await import('../../functions/core/schemas/events');
  const v = await import('valibot');
  const event = new CloudEvent<unknown>({
    id: outbox[0].event_id,
    source: outbox[0].source,
    type: 'health.booking.appointment.booked.v1',
    subject: `appointments/${id}`,
    data: { id, doctor_id: doctorId, appointment_time: slots[0].start, end_time: slots[0].end, status: 'booked' },
  });
  assert.equal(await database().audit.recordOnce(v.parse(AppointmentEventSchema, event)), false);
  assert.equal((await auditOf(id)).length, 2);
});

test('a change that rolls back leaves no audit row', async () => {
  const doctorId = await addDoctor(db);
  const before = Number((await db.owner.query('SELECT count(*) AS n FROM audit_log')).rows[0].n);
  await db.owner.query('BEGIN');
  await db.owner.query("INSERT INTO outbox (type, source, subject, data) VALUES ('health.booking.appointment.booked.v1', '/test', 'appointments/999999', $1)", [
    { id: 999999, doctor_id: doctorId, appointment_time: '2030-01-01T09:00:00.000Z', end_time: '2030-01-01T09:30:00.000Z', status: 'booked' },
  ]);
  assert.equal(Number((await db.owner.query('SELECT count(*) AS n FROM audit_log')).rows[0].n), before + 1, 'written with the change');
  await db.owner.query('ROLLBACK');
  assert.equal(Number((await db.owner.query('SELECT count(*) AS n FROM audit_log')).rows[0].n), before);
});
