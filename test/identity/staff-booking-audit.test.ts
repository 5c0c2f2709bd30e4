import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from './issuer';

/**
 * A booking a staff member makes for a patient (POST /api/appointments with their sign-in) is
 * a staff write, so it is on the staff audit trail, committed with the booking or not at all.
 */
const ACTION = 'appointment.booked_for_patient';

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let doctor: number;
let reception: Record<string, string>;
let slots: string[];

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience });
  doctor = await addDoctor(db, { name: 'Dr Ledger' });
  reception = { Authorization: `Bearer ${await issuer.token({ sub: 'u-reception', name: 'Rita Reception', roles: ['reception'] })}` };
  const day = await call(app.url, 'GET', `/api/doctors/${doctor}/slots?date=${futureDate(3)}`);
  slots = day.body.slots.map((s: { start: string }) => s.start);
  assert.ok(slots.length >= 5, `the doctor has a day of slots: ${slots.length}`);
});
after(async () => {
  await app.close();
  await issuer.close();
  await db.drop();
});

const auditRows = async () => (await db.owner.query('SELECT * FROM staff_audit WHERE action = $1 ORDER BY id', [ACTION])).rows;
const bookedAt = async (time: string) =>
  (await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND appointment_time = $2 AND status = 'booked'", [doctor, time])).rows[0].n as number;
const booking = (time: string, name = 'Patient Iris Vale') => ({ patient_name: name, doctor_id: doctor, appointment_time: time, patient_email: 'iris.vale@example.test' });

describe('a staff booking on the staff audit trail', () => {
  test('is recorded with the actor, the appointment and the request, and nothing of the patient', async () => {
    const before = (await auditRows()).length;
    const res = await call(app.url, 'POST', '/api/appointments', { headers: reception, body: booking(slots[0]) });
    assert.equal(res.status, 201, res.text);
    const rows = (await auditRows()).slice(before);
    assert.equal(rows.length, 1, 'one audit row for one staff booking');
    const [row] = rows;
    assert.equal(row.actor_sub, 'u-reception');
    assert.equal(row.actor_role, 'reception');
    assert.equal(row.actor_name, 'Rita Reception');
    assert.deepEqual(row.appointment_ids.map(String), [String(res.body.id)]);
    assert.equal(row.request_id, res.headers.get('x-request-id'));
    assert.ok(!JSON.stringify(row).includes('Iris') && !JSON.stringify(row).includes('iris.vale'), 'the trail names no patient');
  });

  test('an anonymous booking is not a staff action', async () => {
    const before = (await db.owner.query('SELECT count(*)::int AS n FROM staff_audit')).rows[0].n;
    const res = await call(app.url, 'POST', '/api/appointments', { body: booking(slots[1]) });
    assert.equal(res.status, 201, res.text);
    assert.equal((await db.owner.query('SELECT count(*)::int AS n FROM staff_audit')).rows[0].n, before);
  });

  test('with an Idempotency-Key it is recorded once: the replay made nothing new', async () => {
    const before = (await auditRows()).length;
    const headers = { ...reception, 'Idempotency-Key': randomUUID() };
    const first = await call(app.url, 'POST', '/api/appointments', { headers, body: booking(slots[2]) });
    assert.equal(first.status, 201, first.text);
    const replay = await call(app.url, 'POST', '/api/appointments', { headers, body: booking(slots[2]) });
    assert.equal(replay.status, 201, replay.text);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    const rows = (await auditRows()).slice(before);
    assert.deepEqual(rows.map((r) => r.appointment_ids.map(String)), [[String(first.body.id)]]);
  });

  test('commits with the booking or not at all: a refused audit row leaves the slot free', async () => {
    // Make the trail refuse exactly this action for a moment (the owner may; the app role may not).
    await db.owner.query(`ALTER TABLE staff_audit ADD CONSTRAINT test_refuse_staff_booking CHECK (action <> '${ACTION}') NOT VALID`);
    try {
      for (const headers of [reception, { ...reception, 'Idempotency-Key': randomUUID() }]) {
        const res = await call(app.url, 'POST', '/api/appointments', { headers, body: booking(slots[3]) });
        assert.equal(res.status, 500, res.text);
        assert.equal(await bookedAt(slots[3]), 0, 'no booking without its audit row');
      }
    } finally {
      await db.owner.query('ALTER TABLE staff_audit DROP CONSTRAINT test_refuse_staff_booking');
    }
    const res = await call(app.url, 'POST', '/api/appointments', { headers: reception, body: booking(slots[3]) });
    assert.equal(res.status, 201, res.text);
    assert.equal(await bookedAt(slots[3]), 1);
  });
});
