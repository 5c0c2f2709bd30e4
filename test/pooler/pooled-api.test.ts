import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startPgBouncer, type RunningPgBouncer } from './pgbouncer';

/**
 * The API through a real PgBouncer in transaction mode: each transaction may run on another
 * server connection, so anything that leans on session state (a session advisory lock, a SET,
 * a startup parameter PgBouncer does not know) breaks here and not in the direct suites.
 */
const STAFF_TOKEN = 'staff-token-for-the-pooled-suite-0123';
const staff = { Authorization: `Bearer ${STAFF_TOKEN}` };
const SERVER_CONNECTIONS = 3;

let db: TestDatabase;
let bouncer: RunningPgBouncer;
let app: RunningApp;
let admin: pg.Client;

before(async () => {
  db = await createTestDatabase();
  // A database cloned from a template does not inherit ALTER DATABASE ... SET, so apply the
  // migration's setting to this one the way the migration does, as the owner.
  const migration = readFileSync(join(__dirname, '..', '..', 'db', 'migrations', '004_statement_timeout.sql'), 'utf8');
  await db.owner.query(migration.split('-- Down Migration')[0]);
  const app_ = new URL(db.appUrl);
  const owner = new URL(db.ownerUrl);
  bouncer = await startPgBouncer({
    serverUrl: db.appUrl,
    users: { [app_.username]: decodeURIComponent(app_.password), [owner.username]: decodeURIComponent(owner.password) },
    poolSize: SERVER_CONNECTIONS,
  });
  // The app's own pool (10) is larger than PgBouncer's server pool, as in production.
  app = await startApp(bouncer.pooled(db.appUrl), { STAFF_TOKEN, PG_POOL_SIZE: '10' });
  admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
});
after(async () => {
  // Each step on its own: a failing close must not leave PgBouncer running.
  for (const step of [() => app?.close(), () => admin?.end(), () => bouncer?.stop(), () => db?.drop()]) {
    await Promise.resolve().then(step).catch((err) => console.error(err));
  }
});

async function openSlots(days = 5): Promise<{ doctorId: number; slots: string[] }> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  assert.equal(res.status, 200);
  return { doctorId, slots: res.body.slots.map((s: { start: string }) => s.start) };
}

const book = (body: unknown, headers: Record<string, string> = {}) => call(app.url, 'POST', '/api/appointments', { body, headers });

async function rowsFor(doctorId: number): Promise<number> {
  const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1', [doctorId]);
  return rows[0].n;
}

async function appBackends(): Promise<number> {
  const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'booking_app' AND datname = $1", [db.name]);
  return rows[0].n;
}

describe('the pooler itself', () => {
  test('refuses statement_timeout as a startup parameter, which is why the server sets it', async () => {
    const client = new pg.Client({ connectionString: bouncer.pooled(db.appUrl), statement_timeout: 10_000 });
    await assert.rejects(client.connect(), /unsupported startup parameter/);
    await client.end().catch(() => {});
  });

  test('booking_app gets the 10 s statement_timeout from the database; the owner is exempt', async () => {
    for (const [url, expected] of [[db.appUrl, '10s'], [db.ownerUrl, '0']] as const) {
      const client = new pg.Client({ connectionString: bouncer.pooled(url) });
      await client.connect();
      const { rows } = await client.query('SHOW statement_timeout');
      await client.end();
      assert.equal(rows[0].statement_timeout, expected);
    }
  });
});

describe('bookings through PgBouncer (transaction mode)', () => {
  test('40 concurrent bookings of one slot: one 201, 39 slot_taken, one row, on at most 3 server connections', async () => {
    const { doctorId, slots } = await openSlots();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => book({ patient_name: `Racer ${i}`, doctor_id: doctorId, appointment_time: slots[2] })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
    assert.ok(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error === 'slot_taken'));
    assert.equal(await rowsFor(doctorId), 1);
    const backends = await appBackends();
    assert.ok(backends >= 1 && backends <= SERVER_CONNECTIONS, `${backends} server connections for a pool of 10 clients`);
  });

  test('an Idempotency-Key replays the first booking, also when 20 arrive at once', async () => {
    const { doctorId, slots } = await openSlots();
    const body = { patient_name: 'Idem', doctor_id: doctorId, appointment_time: slots[0] };
    const first = await book(body, { 'Idempotency-Key': 'pooled-replay' });
    const second = await book(body, { 'Idempotency-Key': 'pooled-replay' });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(second.body, first.body);

    const burstBody = { patient_name: 'Burst', doctor_id: doctorId, appointment_time: slots[1] };
    const burst = await Promise.all(Array.from({ length: 20 }, () => book(burstBody, { 'Idempotency-Key': 'pooled-burst' })));
    const created = burst.filter((r) => r.status === 201);
    assert.ok(created.length >= 1);
    assert.ok(created.every((r) => r.body.id === created[0].body.id));
    for (const r of burst.filter((r) => r.status !== 201)) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error, 'request_in_progress');
    }
    assert.equal(await rowsFor(doctorId), 2);
  });

  test('cancel, cancel again, and the slot books again', async () => {
    const { doctorId, slots } = await openSlots();
    const booked = await book({ patient_name: 'Cancel me', doctor_id: doctorId, appointment_time: slots[4] });
    assert.equal(booked.status, 201);
    const results = await Promise.all(Array.from({ length: 5 }, () => call(app.url, 'DELETE', `/api/appointments/${booked.body.reference}`)));
    assert.ok(results.every((r) => r.status === 200 && r.body.status === 'cancelled'));
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [`appointments/${booked.body.id}`]);
    assert.equal(rows[0].n, 2, 'one booked and one cancelled event');
    const rebooked = await book({ patient_name: 'Next', doctor_id: doctorId, appointment_time: slots[4] });
    assert.equal(rebooked.status, 201);
    const lookup = await call(app.url, 'GET', `/api/appointments/${booked.body.reference}`);
    assert.equal(lookup.body.status, 'cancelled');
  });

  test('the staff listing walks every appointment by cursor, no gap and no duplicate', async () => {
    const { doctorId, slots } = await openSlots(9);
    const want = slots.slice(0, 12);
    const made = await Promise.all(want.map((s, i) => book({ patient_name: `Listed ${i}`, doctor_id: doctorId, appointment_time: s })));
    assert.ok(made.every((r) => r.status === 201));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(app.url, 'GET', `/api/appointments?doctor_id=${doctorId}&limit=5${cursor ? `&cursor=${cursor}` : ''}`, { headers: staff });
      assert.equal(res.status, 200);
      seen.push(...res.body.items.map((a: { id: number }) => a.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    const byNumber = (a: number, b: number) => a - b;
    assert.equal(new Set(seen).size, seen.length, 'no duplicate');
    assert.deepEqual([...seen].sort(byNumber), made.map((r) => r.body.id as number).sort(byNumber));
  });
});
