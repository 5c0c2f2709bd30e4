import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from './issuer';

/**
 * The front desk's day shows how to reach each patient, to the roles that may see contact
 * details (reception, a clinician for their own doctor) and to nobody else; the contacts are
 * stored sealed, so the listing opens them for those roles only, and the page's audit row
 * names every appointment shown.
 */

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let doctor: number;
let other: number;
const bearer = async (sub: string, roles: string[], extra: Record<string, unknown> = {}) => ({ Authorization: `Bearer ${await issuer.token({ sub, name: sub, roles, ...extra })}` });
const day = futureDate(5);

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, SLOT_CACHE_TTL_MS: '0' });
  doctor = await addDoctor(db, { name: 'Dr Reach' });
  other = await addDoctor(db, { name: 'Dr Elsewhere' });
  for (const [id, name, contact] of [
    [doctor, 'Patient Ada Phone', { patient_phone: '+44 20 7946 0001' }],
    [doctor, 'Patient Bo Mail', { patient_email: 'bo.mail@example.test' }],
    [other, 'Patient Cy Both', { patient_email: 'cy.both@example.test', patient_phone: '+44 20 7946 0003' }],
  ] as const) {
    const slots = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=${day}`);
    const free = slots.body.slots.filter((s: { available: boolean }) => s.available);
    const index = name === 'Patient Bo Mail' ? 1 : 0;
    const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: id, appointment_time: free[index].start, ...contact } });
    assert.equal(res.status, 201, res.text);
  }
});
after(async () => {
  await app?.close();
  await issuer?.close();
  await db?.drop();
});

const list = (headers: Record<string, string>, query = '') => call(app.url, 'GET', `/api/appointments?from=${day}T00:00:00Z&to=${futureDate(6)}T00:00:00Z${query}`, { headers });
const contacts = (items: Array<Record<string, unknown>>) => items.map((a) => [a.patient_name, a.patient_email, a.patient_phone]);

describe('contact details in the staff listing', () => {
  test('reception sees every patient\'s contact, opened from its sealed form', async () => {
    const res = await list(await bearer('u-desk', ['reception']));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(contacts(res.body.items).sort(), [
      ['Patient Ada Phone', null, '+44 20 7946 0001'],
      ['Patient Bo Mail', 'bo.mail@example.test', null],
      ['Patient Cy Both', 'cy.both@example.test', '+44 20 7946 0003'],
    ]);
    const stored = await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE patient_email IS NULL AND patient_phone IS NULL AND patient_contact IS NOT NULL");
    assert.equal(stored.rows[0].n, 3, 'the contacts are stored sealed, not in clear');
  });

  test('a clinician sees their own doctor\'s patients with contact, and no other doctor\'s', async () => {
    const res = await list(await bearer('u-doc', ['clinician'], { doctor_id: doctor }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(contacts(res.body.items).sort(), [
      ['Patient Ada Phone', null, '+44 20 7946 0001'],
      ['Patient Bo Mail', 'bo.mail@example.test', null],
    ]);
  });

  test('an admin gets the listing without contact fields', async () => {
    const res = await list(await bearer('u-admin', ['admin']));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.items.length, 3);
    for (const item of res.body.items) assert.ok(!('patient_email' in item) && !('patient_phone' in item), JSON.stringify(item));
  });

  test('each page shown is one audit row naming its appointments, with the actor', async () => {
    const before = (await db.owner.query("SELECT count(*)::int AS n FROM staff_audit WHERE action = 'appointments.list' AND actor_sub = 'u-desk2'")).rows[0].n;
    const res = await list(await bearer('u-desk2', ['reception']), '&limit=2');
    assert.equal(res.status, 200, res.text);
    const { rows } = await db.owner.query("SELECT appointment_ids FROM staff_audit WHERE action = 'appointments.list' AND actor_sub = 'u-desk2' ORDER BY id");
    assert.equal(rows.length, before + 1);
    assert.deepEqual(rows.at(-1).appointment_ids.map(String), res.body.items.map((a: { id: number }) => String(a.id)));
  });
});
