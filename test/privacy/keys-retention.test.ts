import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
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

const newKey = () => randomBytes(32).toString('base64');

async function bookMany(n: number, contact: (i: number) => { patient_email?: string; patient_phone?: string }): Promise<Array<{ id: number; reference: string }>> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(9)}`);
  const slots: string[] = res.body.slots.map((s: { start: string }) => s.start);
  const made = [];
  for (let i = 0; i < n; i++) {
    const r = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: `Rot ${i}`, doctor_id: doctorId, appointment_time: slots[i], ...contact(i) } });
    assert.equal(r.status, 201, r.text);
    made.push(r.body);
  }
  return made;
}

describe('key rotation', () => {
  test('reseals every row (and legacy clear rows) under the new key, after which the old key can be removed', async () => {
    const { readKeyring } = await import('../../functions/core/privacy/keys');
    const { openContact, open } = await import('../../functions/core/privacy/seal');
    const { rotatePatientKey } = await import('../../functions/core/privacy/retention');
    const { database } = await import('../../functions/core/db');
    const oldKey = process.env.PATIENT_DATA_KEY!;
    const made = await bookMany(12, (i) => ({ patient_email: `rot${i}@example.org`, ...(i % 2 ? { patient_phone: `+4420794600${i}` } : {}) }));
    // A row from before migration 007, contact in clear.
    const legacy = await db.owner.query(
      "INSERT INTO appointments (reference_hash, patient_name, patient_email, patient_phone, doctor_id, appointment_time, end_time) SELECT sha256('legacy-row'), 'Legacy', 'legacy@example.org', '+44 1', doctor_id, '2031-01-01T09:00Z', '2031-01-01T09:30Z' FROM appointments LIMIT 1 RETURNING id",
    );
    // A live idempotency key, whose reference is sealed too.
    const doctorId = await addDoctor(db);
    const slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(9)}`)).body.slots;
    const idem = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Idem', doctor_id: doctorId, appointment_time: slots[0].start }, headers: { 'idempotency-key': 'rotate-key-1' } });
    assert.equal(idem.status, 201);

    const next = newKey();
    const both = readKeyring(next, oldKey)!;
    const report = await rotatePatientKey(database(), both, 5);
    assert.equal(report.resealed, 12 + 1, 'every sealed row and the legacy one');
    assert.equal(report.references, 1);
    assert.equal(report.remaining, 0);
    const { rows } = await db.owner.query('SELECT id, patient_contact, contact_key_id, patient_email, patient_phone FROM appointments WHERE patient_contact IS NOT NULL OR patient_email IS NOT NULL ORDER BY id');
    assert.equal(rows.length, 13);
    const onlyNew = readKeyring(next, undefined)!;
    for (const row of rows) {
      assert.equal(row.contact_key_id, onlyNew.current.id);
      assert.equal(row.patient_email, null);
      assert.equal(row.patient_phone, null);
      const contact = openContact(onlyNew, { keyId: row.contact_key_id, data: row.patient_contact });
      const i = made.findIndex((m) => Number(m.id) === Number(row.id));
      if (Number(row.id) === Number(legacy.rows[0].id)) assert.deepEqual(contact, { email: 'legacy@example.org', phone: '+44 1' });
      else assert.deepEqual(contact, { email: `rot${i}@example.org`, phone: i % 2 ? `+4420794600${i}` : null });
    }
    const keyRow = await db.owner.query("SELECT reference_sealed, reference_key_id FROM idempotency_keys WHERE key = 'rotate-key-1'");
    assert.equal(open(onlyNew, 'reference', { keyId: keyRow.rows[0].reference_key_id, data: keyRow.rows[0].reference_sealed }), idem.body.reference);
    // The old key alone opens none of it any more.
    const onlyOld = readKeyring(oldKey, undefined)!;
    assert.throws(() => openContact(onlyOld, { keyId: rows[0].contact_key_id, data: rows[0].patient_contact }), /No configured patient data key/);
    // A second run has nothing to do.
    assert.deepEqual(await rotatePatientKey(database(), both, 5), { resealed: 0, references: 0, remaining: 0 });
  });
});

describe('retention and erasure', () => {
  test('retention removes the name and contact of exactly the appointments past the horizon, keeping the facts, with an audit line each', async () => {
    const doctorId = await addDoctor(db);
    const { rows: made } = await db.owner.query(
      `INSERT INTO appointments (reference_hash, patient_name, patient_contact, contact_key_id, contact_index, doctor_id, appointment_time, end_time, status)
       SELECT sha256(convert_to('ret' || d, 'UTF8')), 'Retained ' || d, '\\x0102'::bytea, 'kold', sha256(convert_to('c' || d, 'UTF8')), $1,
              now() - make_interval(days => d) , now() - make_interval(days => d) + interval '30 minutes',
              CASE WHEN d % 2 = 0 THEN 'cancelled' ELSE 'booked' END
       FROM unnest(ARRAY[400, 366, 364, 30]) AS d
       RETURNING id, patient_name`,
      [doctorId],
    );
    const { runScheduled } = await import('../../functions/outbox-relay/index');
    const { database } = await import('../../functions/core/db');
    const run = await runScheduled(database());
    assert.ok(run.erased >= 2);
    const { rows } = await db.owner.query('SELECT id, patient_name, patient_contact, contact_key_id, contact_index, erased_at IS NOT NULL AS erased, status, doctor_id, appointment_time FROM appointments WHERE doctor_id = $1 ORDER BY appointment_time', [doctorId]);
    assert.deepEqual(rows.map((r) => [r.patient_name, r.erased]), [[null, true], [null, true], ['Retained 364', false], ['Retained 30', false]]);
    for (const r of rows.slice(0, 2)) {
      assert.equal(r.patient_contact, null);
      assert.equal(r.contact_index, null);
      assert.equal(r.doctor_id, doctorId);
      assert.ok(r.appointment_time instanceof Date);
    }
    assert.deepEqual(rows.map((r) => r.status), ['cancelled', 'cancelled', 'cancelled', 'cancelled'].map((s, i) => ([400, 366, 364, 30][i] % 2 === 0 ? s : 'booked')));
    const audit = await db.owner.query("SELECT appointment_id, data FROM audit_log WHERE event_type = 'health.booking.patient-data.erased.v1' AND appointment_id = ANY($1) ORDER BY appointment_id", [made.map((m) => m.id)]);
    assert.deepEqual(audit.rows.map((a) => String(a.appointment_id)).sort(), rows.slice(0, 2).map((r) => String(r.id)).sort());
    for (const a of audit.rows) {
      assert.equal(a.data.reason, 'retention');
      assert.ok(!JSON.stringify(a.data).includes('Retained'), 'no patient data in the audit line');
    }
    // A second run erases nothing more.
    assert.equal((await runScheduled(database())).erased, 0);
  });

  test('erasure removes one patient\'s data (every appointment with their contact) and nothing else; only an admin may ask', async () => {
    const made = await bookMany(4, (i) => ({ patient_email: i < 3 ? 'Erase.Me@Example.org' : 'keep@example.org' }));
    // Same person, spelled differently: still the same contact.
    const { rows: before } = await db.owner.query('SELECT id, contact_index FROM appointments WHERE id = ANY($1) ORDER BY id', [made.map((m) => m.id)]);
    assert.ok(before[0].contact_index.equals(before[1].contact_index));
    const { erasePatient } = await import('../../functions/core/privacy/retention');
    const { database } = await import('../../functions/core/db');
    const allBefore = (await db.owner.query('SELECT id, patient_name FROM appointments WHERE erased_at IS NULL ORDER BY id')).rows;
    assert.deepEqual(await erasePatient(database(), String(made[1].id), '/functions/list-appointments', 'admin-sub-1'), { erased: 3 });
    const allAfter = (await db.owner.query('SELECT id, patient_name FROM appointments WHERE erased_at IS NULL ORDER BY id')).rows;
    const erasedIds = made.slice(0, 3).map((m) => String(m.id));
    assert.deepEqual(allAfter, allBefore.filter((r) => !erasedIds.includes(String(r.id))), 'nothing else changed');
    const { rows } = await db.owner.query('SELECT id, patient_name, patient_contact, status FROM appointments WHERE id = ANY($1) ORDER BY id', [made.map((m) => m.id)]);
    assert.deepEqual(rows.map((r) => r.patient_name), [null, null, null, 'Rot 3']);
    assert.deepEqual(rows.map((r) => r.status), ['booked', 'booked', 'booked', 'booked']);
    const audit = await db.owner.query("SELECT data FROM audit_log WHERE event_type = 'health.booking.patient-data.erased.v1' AND data->>'reason' = 'request'");
    assert.equal(audit.rows.length, 3);
    assert.ok(audit.rows.every((a) => a.data.by === 'admin-sub-1' && !JSON.stringify(a.data).toLowerCase().includes('erase.me')));
    // An erased booking is no longer the patient's to look up.
    assert.equal((await call(app.url, 'GET', `/api/appointments/${made[0].reference}`)).status, 404);
    assert.equal((await call(app.url, 'GET', `/api/appointments/${made[3].reference}`)).status, 200);
    // Erasing again erases nothing; an unknown id is 404.
    assert.deepEqual(await erasePatient(database(), String(made[1].id), '/functions/list-appointments', 'admin-sub-1'), { erased: 0 });
    await assert.rejects(erasePatient(database(), '999999999', '/x', 'a'), { code: 'not_found' });
    // Through HTTP: no sign-in is 401, the service credential (not an admin) is refused.
    const anon = await call(app.url, 'POST', `/api/staff/appointments/${made[3].id}/erasure`);
    assert.equal(anon.status, 401);
    assert.equal((await db.owner.query('SELECT patient_name FROM appointments WHERE id = $1', [made[3].id])).rows[0].patient_name, 'Rot 3');
  });
});
