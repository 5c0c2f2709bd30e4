import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from './issuer';

/**
 * Reception cancelling or moving a patient's appointment by its reference (on the phone, at the
 * desk) is a staff write, so it is on the staff audit trail with the change; a patient doing
 * the same is not a staff action.
 */

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let doctor: number;
let reception: Record<string, string>;
let slots: string[];
let next = 0;

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, SLOT_CACHE_TTL_MS: '0' });
  doctor = await addDoctor(db, { name: 'Dr Ledger' });
  reception = { Authorization: `Bearer ${await issuer.token({ sub: 'u-desk', name: 'Dana Desk', roles: ['reception'] })}` };
  const day = await call(app.url, 'GET', `/api/doctors/${doctor}/slots?date=${futureDate(4)}`);
  slots = day.body.slots.map((s: { start: string }) => s.start);
  assert.ok(slots.length >= 8, `the doctor has a day of slots: ${slots.length}`);
});
after(async () => {
  await app?.close();
  await issuer?.close();
  await db?.drop();
});

const rowsOf = async (action: string) => (await db.owner.query('SELECT * FROM staff_audit WHERE action = $1 ORDER BY id', [action])).rows;
const staffRows = async () => (await db.owner.query('SELECT count(*)::int AS n FROM staff_audit')).rows[0].n as number;

async function book(): Promise<{ id: number; reference: string }> {
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Patient Noor Quill', doctor_id: doctor, appointment_time: slots[next++], patient_email: 'noor.quill@example.test' } });
  assert.equal(res.status, 201, res.text);
  return { id: res.body.id, reference: res.body.reference };
}

describe('staff cancellations and moves on the staff audit trail', () => {
  test('a cancellation with a reason is recorded once, with the actor and the appointment, and nothing of the patient', async () => {
    const { id, reference } = await book();
    const before = (await rowsOf('appointment.cancelled_for_patient')).length;
    const res = await call(app.url, 'POST', `/api/appointments/${reference}/cancel`, { headers: reception, body: { reason: 'Called to say she is unwell' } });
    assert.equal(res.status, 200, res.text);
    const rows = (await rowsOf('appointment.cancelled_for_patient')).slice(before);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].actor_sub, 'u-desk');
    assert.equal(rows[0].actor_role, 'reception');
    assert.deepEqual(rows[0].appointment_ids.map(String), [String(id)]);
    assert.equal(rows[0].request_id, res.headers.get('x-request-id'));
    assert.ok(!/Noor|noor\.quill|unwell/.test(JSON.stringify(rows[0])), 'the trail names no patient and keeps no reason');
    // Cancelling again changes nothing, so it is no new line.
    const again = await call(app.url, 'DELETE', `/api/appointments/${reference}`, { headers: reception });
    assert.equal(again.status, 200, again.text);
    assert.equal((await rowsOf('appointment.cancelled_for_patient')).length, before + 1);
  });

  test('a move is recorded with the appointment it moved', async () => {
    const { id, reference } = await book();
    const before = (await rowsOf('appointment.rescheduled_for_patient')).length;
    const res = await call(app.url, 'POST', `/api/appointments/${reference}/reschedule`, { headers: reception, body: { appointment_time: slots[slots.length - 1] } });
    assert.equal(res.status, 200, res.text);
    const rows = (await rowsOf('appointment.rescheduled_for_patient')).slice(before);
    assert.deepEqual(rows.map((r) => [r.actor_sub, r.appointment_ids.map(String)]), [['u-desk', [String(id)]]]);
    // A move onto a taken slot fails and leaves no line.
    const other = await book();
    const taken = await call(app.url, 'POST', `/api/appointments/${other.reference}/reschedule`, { headers: reception, body: { appointment_time: slots[slots.length - 1] } });
    assert.equal(taken.status, 409, taken.text);
    assert.equal((await rowsOf('appointment.rescheduled_for_patient')).length, before + 1);
  });

  test('a patient cancelling or moving their own appointment is no staff action', async () => {
    const first = await book();
    const second = await book();
    const before = await staffRows();
    assert.equal((await call(app.url, 'POST', `/api/appointments/${first.reference}/reschedule`, { body: { appointment_time: slots[slots.length - 2] } })).status, 200);
    assert.equal((await call(app.url, 'DELETE', `/api/appointments/${second.reference}`)).status, 200);
    assert.equal(await staffRows(), before);
  });

  test('the audit row commits with the cancellation or not at all', async () => {
    const { reference } = await book();
    await db.owner.query("ALTER TABLE staff_audit ADD CONSTRAINT test_refuse_cancel CHECK (action <> 'appointment.cancelled_for_patient') NOT VALID");
    try {
      const res = await call(app.url, 'DELETE', `/api/appointments/${reference}`, { headers: reception });
      assert.equal(res.status, 500, res.text);
    } finally {
      await db.owner.query('ALTER TABLE staff_audit DROP CONSTRAINT test_refuse_cancel');
    }
    const { rows } = await db.owner.query("SELECT status FROM appointments WHERE reference_hash IS NOT NULL AND id = (SELECT max(id) FROM appointments)");
    assert.equal(rows[0].status, 'booked', 'the cancellation rolled back with its audit row');
  });
});
