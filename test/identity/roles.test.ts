import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from './issuer';

const STAFF_TOKEN = 'roles-test-service-token-0123456789';

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let ownDoctor: number;
let otherDoctor: number;
let own: any;
let others: any;
const auth: Record<string, Record<string, string>> = {};

async function book(doctorId: number, name: string, email: string): Promise<any> {
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(3)}`);
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: slots.body.slots[0].start, patient_email: email } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, STAFF_TOKEN });
  ownDoctor = await addDoctor(db, { name: 'Dr Own' });
  otherDoctor = await addDoctor(db, { name: 'Dr Other' });
  own = await book(ownDoctor, 'Ada Own', 'ada@example.test');
  others = await book(otherDoctor, 'Bob Other', 'bob@example.test');
  const bearer = async (claims: Record<string, unknown>) => ({ Authorization: `Bearer ${await issuer.token(claims)}` });
  auth.admin = await bearer({ sub: 'u-admin', roles: ['admin'] });
  auth.reception = await bearer({ sub: 'u-reception', roles: ['reception'] });
  auth.clinician = await bearer({ sub: 'u-clinician', roles: ['clinician'], doctor_id: ownDoctor });
  auth['clinician without a doctor'] = await bearer({ sub: 'u-clin-2', roles: ['clinician'] });
  auth['no known role'] = await bearer({ sub: 'u-patient', roles: ['patient', 'offline_access'] });
  auth.service = { Authorization: `Bearer ${STAFF_TOKEN}` };
});
after(async () => {
  await app.close();
  await issuer.close();
  await db.drop();
});

type Outcome = 200 | 403 | 404;

/** role × endpoint → the status it must get; each cell is one request. */
const endpoints: Array<{ name: string; path: () => string; expect: Record<string, Outcome> }> = [
  {
    name: 'GET /api/appointments',
    path: () => '/api/appointments',
    expect: { admin: 200, reception: 200, clinician: 200, service: 200, 'clinician without a doctor': 403, 'no known role': 403 },
  },
  {
    name: 'GET /appointments (alias)',
    path: () => '/appointments',
    expect: { admin: 200, reception: 200, clinician: 200, service: 200, 'clinician without a doctor': 403, 'no known role': 403 },
  },
  {
    name: "GET /api/appointments?doctor_id=<another doctor's>",
    path: () => `/api/appointments?doctor_id=${otherDoctor}`,
    expect: { admin: 200, reception: 200, clinician: 403, service: 200, 'clinician without a doctor': 403, 'no known role': 403 },
  },
  {
    name: "GET /api/staff/appointments/:id (the clinician's own doctor's)",
    path: () => `/api/staff/appointments/${own.id}`,
    expect: { admin: 200, reception: 200, clinician: 200, service: 403, 'clinician without a doctor': 403, 'no known role': 403 },
  },
  {
    name: 'GET /api/staff/me',
    path: () => '/api/staff/me',
    expect: { admin: 200, reception: 200, clinician: 200, service: 200, 'clinician without a doctor': 200, 'no known role': 200 },
  },
];

describe('role × endpoint', () => {
  for (const endpoint of endpoints) {
    for (const [role, status] of Object.entries(endpoint.expect)) {
      test(`${endpoint.name} as ${role} → ${status}`, async () => {
        const res = await call(app.url, 'GET', endpoint.path(), { headers: auth[role] });
        assert.equal(res.status, status, res.text);
        if (status === 403) assert.equal(res.body.error, 'forbidden');
      });
    }
  }
});

describe('what each role sees', () => {
  test('GET /api/staff/me says who is signed in and what the page may offer', async () => {
    const me = async (role: string) => (await call(app.url, 'GET', '/api/staff/me', { headers: auth[role] })).body;
    assert.deepEqual(await me('clinician'), { sub: 'u-clinician', name: null, roles: ['clinician'], doctor_id: ownDoctor, may: { list: true, every_doctor: false, contact: true, audit: false } });
    assert.deepEqual((await me('reception')).may, { list: true, every_doctor: true, contact: true, audit: false });
    assert.deepEqual((await me('admin')).may, { list: true, every_doctor: true, contact: false, audit: true });
    assert.deepEqual((await me('no known role')).roles, []);
    assert.equal((await me('no known role')).may.list, false);
    assert.equal((await me('clinician without a doctor')).may.list, false);
    assert.deepEqual((await me('service')).roles, ['service']);
  });

  const ids = (body: any) => body.items.map((a: any) => a.id).sort();

  test("reception, admin and the service see every doctor's appointments; a clinician only their own", async () => {
    for (const role of ['admin', 'reception', 'service']) {
      const res = await call(app.url, 'GET', '/api/appointments', { headers: auth[role] });
      assert.deepEqual(ids(res.body), [own.id, others.id].sort(), role);
    }
    const mine = await call(app.url, 'GET', '/api/appointments', { headers: auth.clinician });
    assert.deepEqual(ids(mine.body), [own.id]);
    const filtered = await call(app.url, 'GET', `/api/appointments?doctor_id=${ownDoctor}`, { headers: auth.clinician });
    assert.deepEqual(ids(filtered.body), [own.id]);
  });

  test("a clinician reading another doctor's appointment gets the same 404 as for one that does not exist", async () => {
    const theirs = await call(app.url, 'GET', `/api/staff/appointments/${others.id}`, { headers: auth.clinician });
    const missing = await call(app.url, 'GET', '/api/staff/appointments/999999999', { headers: auth.clinician });
    const malformed = await call(app.url, 'GET', "/api/staff/appointments/1%20OR%201=1", { headers: auth.clinician });
    for (const res of [theirs, missing, malformed]) {
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, missing.body);
    }
    assert.ok(!theirs.text.includes('Bob'), 'nothing of the patient leaks');
  });

  test('contact details go to reception and clinicians, not to admin', async () => {
    const byReception = await call(app.url, 'GET', `/api/staff/appointments/${others.id}`, { headers: auth.reception });
    assert.equal(byReception.body.patient_email, 'bob@example.test');
    const byClinician = await call(app.url, 'GET', `/api/staff/appointments/${own.id}`, { headers: auth.clinician });
    assert.equal(byClinician.body.patient_email, 'ada@example.test');
    const byAdmin = await call(app.url, 'GET', `/api/staff/appointments/${own.id}`, { headers: auth.admin });
    assert.equal(byAdmin.status, 200);
    assert.equal(byAdmin.body.patient_email, undefined);
    assert.equal(byAdmin.body.id, own.id);
  });
});
