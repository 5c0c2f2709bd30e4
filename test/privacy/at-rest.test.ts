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

async function openSlots(days = 5): Promise<{ doctorId: number; slots: string[] }> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  return { doctorId, slots: res.body.slots.map((s: { start: string }) => s.start) };
}

/** Every column of every row of every table in public, as text: what a dump would hold. */
async function everyValue(): Promise<string> {
  const { rows: tables } = await db.owner.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  let all = '';
  for (const { tablename } of tables) {
    const { rows } = await db.owner.query(`SELECT t::text AS row FROM public.${tablename} t`);
    // bytea as hex too, and as the UTF-8 it would decode to, in case anything stored clear text as bytes.
    all += rows.map((r) => r.row).join('\n') + '\n';
    const { rows: bytes } = await db.owner.query(
      `SELECT string_agg(convert_from(v, 'SQL_ASCII'), ' ') AS text FROM (
         SELECT (each.value)::bytea AS v FROM public.${tablename} t, jsonb_each_text(to_jsonb(t)) each
         WHERE each.value LIKE '\\x%') b`,
    );
    all += (bytes[0]?.text ?? '') + '\n';
  }
  return all;
}

describe('patient data at rest', () => {
  test('a dump of every table holds no e-mail, phone or reference in clear, and the API still answers with the reference', async () => {
    const { doctorId, slots } = await openSlots();
    const tag = randomBytes(4).toString('hex');
    const email = `dump.${tag}@example.org`;
    const phone = `+44 20 7946 ${tag.slice(0, 4).replace(/[a-f]/g, '7')}`;
    const made = await call(app.url, 'POST', '/api/appointments', {
      body: { patient_name: `Dumpy ${tag}`, doctor_id: doctorId, appointment_time: slots[0], patient_email: email, patient_phone: phone },
      headers: { 'idempotency-key': `dump-${tag}` },
    });
    assert.equal(made.status, 201, made.text);
    const reference: string = made.body.reference;
    assert.match(reference, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(made.headers.get('location'), `/api/appointments/${reference}`);

    // A replay answers the same reference, which only the idempotency key keeps (sealed).
    const replay = await call(app.url, 'POST', '/api/appointments', {
      body: { patient_name: `Dumpy ${tag}`, doctor_id: doctorId, appointment_time: slots[0], patient_email: email, patient_phone: phone },
      headers: { 'idempotency-key': `dump-${tag}` },
    });
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, made.body);

    const found = await call(app.url, 'GET', `/api/appointments/${reference}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.reference, reference);
    assert.equal(found.body.id, made.body.id);
    const other = randomBytes(16).toString('base64url');
    assert.equal((await call(app.url, 'GET', `/api/appointments/${other}`)).status, 404);

    const dump = await everyValue();
    assert.ok(dump.includes(`Dumpy ${tag}`), 'the dump reads the tables (the name stays in clear for the front desk)');
    for (const secret of [email, phone, phone.replace(/[^0-9+]/g, ''), reference]) {
      assert.ok(!dump.includes(secret), `the dump holds ${secret === reference ? 'the reference' : 'a contact'} in clear`);
    }
    const { rows } = await db.owner.query('SELECT reference_hash = sha256(convert_to($2, $3)) AS hashed, contact_key_id, patient_email, patient_phone FROM appointments WHERE id = $1', [made.body.id, reference, 'UTF8']);
    assert.deepEqual(rows[0], { hashed: true, contact_key_id: rows[0].contact_key_id, patient_email: null, patient_phone: null });
    assert.match(rows[0].contact_key_id, /^k[A-Za-z0-9_-]{8}$/);

    const cancelled = await call(app.url, 'DELETE', `/api/appointments/${reference}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.reference, reference);
    assert.equal(cancelled.body.status, 'cancelled');
  });

  test('the staff listing carries no reference: staff never hold a patient key', async () => {
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM appointments');
    assert.ok(rows[0].n > 0);
    const { readConfig } = await import('../../functions/core/config');
    assert.ok(readConfig().patientDataKeys, 'npm test gives every run a key');
  });
});
