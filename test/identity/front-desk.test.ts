import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from './issuer';

const STAFF_TOKEN = 'front-desk-test-service-token-0123456789';

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let doctor: number;
let otherDoctor: number;
const auth: Record<string, Record<string, string>> = {};
let nextSlot = 0;

/** A fresh booked appointment of `doctorId` (through the public API), with a recognisable patient. */
async function book(doctorId = doctor): Promise<any> {
  const n = nextSlot++;
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(2 + Math.floor(n / 12))}`);
  const res = await call(app.url, 'POST', '/api/appointments', {
    body: { patient_name: 'Patient Zed Quill', doctor_id: doctorId, appointment_time: slots.body.slots[n % 12].start, patient_email: 'zed.quill@example.test' },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function auditRows(where = 'true', params: unknown[] = []): Promise<any[]> {
  return (await db.owner.query(`SELECT * FROM staff_audit WHERE ${where} ORDER BY id`, params)).rows;
}

const setStatus = (id: number | string, role: string, body: unknown) => call(app.url, 'POST', `/api/staff/appointments/${id}/status`, { headers: auth[role], body });

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, STAFF_TOKEN });
  doctor = await addDoctor(db, { name: 'Dr Desk' });
  otherDoctor = await addDoctor(db, { name: 'Dr Elsewhere' });
  const bearer = async (claims: Record<string, unknown>) => ({ Authorization: `Bearer ${await issuer.token(claims)}` });
  auth.admin = await bearer({ sub: 'u-admin', name: 'Ada Admin', roles: ['admin'] });
  auth.reception = await bearer({ sub: 'u-reception', name: 'Rita Reception', roles: ['reception'] });
  auth.clinician = await bearer({ sub: 'u-clinician', name: 'Dr Desk', roles: ['clinician'], doctor_id: doctor });
  auth.service = { Authorization: `Bearer ${STAFF_TOKEN}` };
});
after(async () => {
  await app.close();
  await issuer.close();
  await db.drop();
});

const statuses = ['booked', 'arrived', 'completed', 'no_show', 'cancelled'];
const allowed = new Set(['booked>arrived', 'arrived>completed', 'booked>no_show', 'booked>cancelled']);
/** How to reach each status from booked, by allowed steps. */
const pathTo: Record<string, string[]> = { booked: [], arrived: ['arrived'], completed: ['arrived', 'completed'], no_show: ['no_show'], cancelled: ['cancelled'] };

describe('the visit status machine, enforced by the database', () => {
  test('every transition it does not allow is refused, even to the table owner; the four it allows pass', async () => {
    let refused = 0;
    for (const from of statuses) {
      for (const to of statuses.filter((s) => s !== from)) {
        const { id } = await book();
        for (const step of pathTo[from]) await db.owner.query('UPDATE appointments SET status = $1 WHERE id = $2', [step, id]);
        const attempt = db.owner.query('UPDATE appointments SET status = $1 WHERE id = $2', [to, id]);
        if (allowed.has(`${from}>${to}`)) {
          await attempt;
        } else {
          await assert.rejects(attempt, (err: any) => err.code === '23514' && err.constraint === 'appointments_status_transition', `${from} → ${to}`);
          refused++;
        }
      }
    }
    assert.equal(refused, 16, 'all 20 ordered pairs tried: 4 allowed, 16 refused');
  });

  test('through the API: a refused transition is 409 invalid_transition and changes nothing', async () => {
    const { id } = await book();
    assert.equal((await setStatus(id, 'reception', { status: 'arrived' })).status, 200);
    const events = async () => (await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [`appointments/${id}`])).rows[0].n;
    const before = await events();
    const audits = (await auditRows()).length;
    for (const status of ['no_show', 'cancelled']) {
      const res = await setStatus(id, 'reception', status === 'cancelled' ? { status, reason: 'Patient called' } : { status });
      assert.equal(res.status, 409, res.text);
      assert.equal(res.body.error, 'invalid_transition');
    }
    const { rows } = await db.owner.query('SELECT status FROM appointments WHERE id = $1', [id]);
    assert.equal(rows[0].status, 'arrived');
    assert.equal(await events(), before, 'no event for a refused change');
    assert.equal((await auditRows()).length, audits, 'nor an audit row: the transaction rolled back');
  });
});

describe('front desk writes', () => {
  test('check-in, then seen: each an event without patient data and an audit row with the actor', async () => {
    const { id } = await book();
    const arrived = await setStatus(id, 'reception', { status: 'arrived' });
    assert.equal(arrived.status, 200, arrived.text);
    assert.equal(arrived.body.status, 'arrived');
    const completed = await setStatus(id, 'clinician', { status: 'completed' });
    assert.equal(completed.body.status, 'completed');
    const again = await setStatus(id, 'clinician', { status: 'completed' });
    assert.equal(again.status, 200, 'the same status again is fine');

    const { rows: events } = await db.owner.query("SELECT type, data FROM outbox WHERE subject = $1 AND type NOT LIKE '%booked%' ORDER BY id", [`appointments/${id}`]);
    assert.deepEqual(events.map((e) => e.type), ['health.booking.appointment.arrived.v1', 'health.booking.appointment.completed.v1'], 'one event per change, none for a repeat');
    for (const e of events) assert.ok(!JSON.stringify(e.data).includes('Zed') && !JSON.stringify(e.data).includes('quill'), 'no patient data in the event');

    const rows = await auditRows('$1 = ANY(appointment_ids) AND action LIKE $2', [id, 'appointment.%']);
    assert.deepEqual(rows.map((r) => [r.actor_sub, r.actor_name, r.actor_role, r.action, r.appointment_ids.map(String)]), [
      ['u-reception', 'Rita Reception', 'reception', 'appointment.arrived', [String(id)]],
      ['u-clinician', 'Dr Desk', 'clinician', 'appointment.completed', [String(id)]],
      ['u-clinician', 'Dr Desk', 'clinician', 'appointment.completed', [String(id)]],
    ]);
    for (const r of rows) {
      assert.match(r.request_id, /^[0-9a-f]{32}$/, 'the request id');
      assert.match(r.client_address, /127\.0\.0\.1/, 'the client address');
    }
  });

  test('who may do what: cancelling is reception\'s (with a reason); the service token writes nothing; another doctor\'s appointment is 404', async () => {
    const { id } = await book();
    assert.equal((await setStatus(id, 'clinician', { status: 'cancelled', reason: 'x' })).status, 403);
    assert.equal((await setStatus(id, 'admin', { status: 'arrived' })).status, 403);
    assert.equal((await setStatus(id, 'service', { status: 'arrived' })).status, 403);
    const noReason = await setStatus(id, 'reception', { status: 'cancelled' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.issues[0].path, 'reason');
    const cancelled = await setStatus(id, 'reception', { status: 'cancelled', reason: 'Patient phoned: unwell' });
    assert.equal(cancelled.body.status, 'cancelled');
    const notes = await call(app.url, 'GET', `/api/staff/appointments/${id}/notes`, { headers: auth.reception });
    assert.deepEqual(notes.body.items.map((n: any) => n.body), ['Cancelled: Patient phoned: unwell']);

    const theirs = await book(otherDoctor);
    const res = await setStatus(theirs.id, 'clinician', { status: 'arrived' });
    assert.equal(res.status, 404);
    assert.equal((await setStatus(999999999, 'clinician', { status: 'arrived' })).body.error, res.body.error);
    assert.equal((await call(app.url, 'POST', `/api/staff/appointments/${theirs.id}/notes`, { headers: auth.clinician, body: { body: 'peek' } })).status, 404);
    const unsigned = await call(app.url, 'POST', `/api/staff/appointments/${id}/status`, { body: { status: 'arrived' } });
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.headers.get('www-authenticate'), 'Bearer');
  });

  test('notes: added by a clinician, read back by reception, each an audit row', async () => {
    const { id } = await book();
    const added = await call(app.url, 'POST', `/api/staff/appointments/${id}/notes`, { headers: auth.clinician, body: { body: '  Bring previous scans.  ' } });
    assert.equal(added.status, 201, added.text);
    assert.deepEqual([added.body.body, added.body.author], ['Bring previous scans.', { sub: 'u-clinician', name: 'Dr Desk' }]);
    const read = await call(app.url, 'GET', `/api/staff/appointments/${id}/notes`, { headers: auth.reception });
    assert.equal(read.body.items.length, 1);
    const rows = await auditRows('$1 = ANY(appointment_ids)', [id]);
    assert.deepEqual(rows.map((r) => [r.actor_sub, r.action]), [['u-clinician', 'note.add'], ['u-reception', 'notes.read']]);
    assert.equal((await call(app.url, 'POST', `/api/staff/appointments/${id}/notes`, { headers: auth.clinician, body: { body: '' } })).status, 400);
    assert.equal((await call(app.url, 'GET', `/api/staff/appointments/${id}/notes`, { headers: auth.admin })).status, 403);
  });
});

describe('the audit trail', () => {
  test('one row per staff read of patient data, naming every appointment shown and the actor', async () => {
    const a = await book();
    const b = await book();
    const before = (await auditRows()).length;
    const page = await call(app.url, 'GET', `/api/appointments?doctor_id=${doctor}&limit=200`, { headers: auth.reception });
    assert.equal(page.status, 200);
    const read = await call(app.url, 'GET', `/api/staff/appointments/${a.id}`, { headers: auth.clinician });
    assert.equal(read.status, 200);
    const service = await call(app.url, 'GET', `/api/appointments?doctor_id=${doctor}`, { headers: auth.service });
    assert.equal(service.status, 200);
    const rows = (await auditRows()).slice(before);
    assert.equal(rows.length, 3, 'one row per read');
    assert.deepEqual([rows[0].actor_sub, rows[0].actor_role, rows[0].action], ['u-reception', 'reception', 'appointments.list']);
    assert.deepEqual(rows[0].appointment_ids.map(String).sort(), page.body.items.map((i: any) => String(i.id)).sort());
    assert.ok(rows[0].appointment_ids.map(String).includes(String(b.id)));
    assert.deepEqual([rows[1].actor_sub, rows[1].action, rows[1].appointment_ids.map(String)], ['u-clinician', 'appointment.read', [String(a.id)]]);
    assert.deepEqual([rows[2].actor_sub, rows[2].actor_role], ['service:staff-token', 'service'], 'the machine credential is audited as itself');
    const text = JSON.stringify(rows);
    assert.ok(!text.includes('Zed') && !text.includes('quill'), 'no patient data in the trail');
  });

  test('a refused read writes no row', async () => {
    const before = (await auditRows()).length;
    const theirs = await book(otherDoctor);
    assert.equal((await call(app.url, 'GET', `/api/staff/appointments/${theirs.id}`, { headers: auth.clinician })).status, 404);
    assert.equal((await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await auditRows()).length, before);
  });

  test('GET /api/audit: admins only, filters and a cursor, and reading it is recorded', async () => {
    for (const role of ['reception', 'clinician', 'service']) assert.equal((await call(app.url, 'GET', '/api/audit', { headers: auth[role] })).status, 403, role);
    const { id } = await book();
    await setStatus(id, 'reception', { status: 'no_show' });
    const filtered = await call(app.url, 'GET', `/api/audit?appointment_id=${id}&action=appointment.no_show`, { headers: auth.admin });
    assert.equal(filtered.status, 200, filtered.text);
    assert.equal(filtered.body.items.length, 1);
    assert.deepEqual(filtered.body.items[0].actor, { sub: 'u-reception', name: 'Rita Reception', role: 'reception' });
    const byActor = await call(app.url, 'GET', '/api/audit?actor=u-clinician&limit=2', { headers: auth.admin });
    assert.ok(byActor.body.items.every((r: any) => r.actor.sub === 'u-clinician'));
    assert.ok(byActor.body.next_cursor, 'more than one page');
    const next = await call(app.url, 'GET', `/api/audit?actor=u-clinician&limit=2&cursor=${byActor.body.next_cursor}`, { headers: auth.admin });
    assert.ok(next.body.items.length >= 1);
    assert.ok(next.body.items[0].id < byActor.body.items[1].id, 'newest first, the next page older');
    for (const bad of ['limit=0', 'cursor=abc', 'action=DROP', 'unknown=1', 'appointment_id=x']) {
      assert.equal((await call(app.url, 'GET', `/api/audit?${bad}`, { headers: auth.admin })).status, 400, bad);
    }
    const own = await auditRows("actor_sub = 'u-admin' AND action = 'audit.read'");
    assert.ok(own.length >= 3, 'each read of the trail is on the trail');
  });

  test('the app role can only add to the trail and read it', async () => {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      for (const sql of ['UPDATE staff_audit SET action = \'x.y\'', 'DELETE FROM staff_audit', 'TRUNCATE staff_audit', 'UPDATE appointment_notes SET body = \'x\'', 'DELETE FROM appointment_notes']) {
        await assert.rejects(client.query(sql), (err: any) => err.code === '42501', sql);
      }
    } finally {
      await client.end();
    }
    await assert.rejects(db.owner.query('DELETE FROM staff_audit'), (err: any) => err.code === '42501', 'append-only even for the owner');
  });
});
