import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * The instance's cache of doctors and slots (functions/core/slot-cache.ts): it serves from
 * memory, and a change committed anywhere (here: SQL as the owner, as another instance or an
 * operator would) reaches it by NOTIFY long before its TTL, set to ten minutes here so that
 * only the notification can explain a refresh.
 */
let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { SLOT_CACHE_TTL_MS: '600000' });
  const { slotCacheListening } = await import('../../functions/core/availability');
  assert.equal(await slotCacheListening(), true, 'the slot cache did not come on');
});
after(async () => {
  await app.close();
  await db.drop();
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const began = Date.now();
  while (!(await check())) {
    if (Date.now() - began > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Served from memory: the database may refuse the query (no SELECT on `table`) and the answer still comes. */
async function withoutSelect<T>(table: string, run: () => Promise<T>): Promise<T> {
  await db.owner.query(`REVOKE SELECT ON ${table} FROM booking_app`);
  try {
    return await run();
  } finally {
    await db.owner.query(`GRANT SELECT ON ${table} TO booking_app`);
  }
}

describe('slots from the instance cache', () => {
  test('a second read is served from memory, with the same ETag; If-None-Match gets 304', async () => {
    const doctorId = await addDoctor(db);
    const path = `/api/doctors/${doctorId}/slots?date=${futureDate(6)}`;
    const first = await call(app.url, 'GET', path);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
    assert.match(first.headers.get('cache-control')!, /public, max-age=5, stale-while-revalidate/);
    const cached = await withoutSelect('appointments', () => call(app.url, 'GET', path));
    assert.equal(cached.status, 200);
    assert.equal(cached.headers.get('etag'), etag);
    assert.equal(cached.text, first.text);
    const notModified = await fetch(app.url + path, { headers: { 'if-none-match': etag } });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.text(), '');
  });

  test('a booking committed elsewhere drops the day at once, long before the TTL', async () => {
    const doctorId = await addDoctor(db);
    const path = `/api/doctors/${doctorId}/slots?date=${futureDate(6)}`;
    const slots = (await call(app.url, 'GET', path)).body.slots;
    assert.ok(slots[0].available);
    await db.owner.query(
      "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256(convert_to(md5(random()::text), 'UTF8')), 'Elsewhere', $1, $2, $3)",
      [doctorId, slots[0].start, slots[0].end],
    ).catch(async (err) => {
      // Before the reference is hashed at rest, the column is the reference itself.
      if ((err as { code?: string }).code !== '42703') throw err;
      await db.owner.query("INSERT INTO appointments (reference, patient_name, doctor_id, appointment_time, end_time) VALUES (md5(random()::text), 'Elsewhere', $1, $2, $3)", [doctorId, slots[0].start, slots[0].end]);
    });
    await until('the slot to show as taken', async () => !(await call(app.url, 'GET', path)).body.slots[0].available);
  });

  test('a booking through this instance is seen by its next read', async () => {
    const doctorId = await addDoctor(db);
    const path = `/api/doctors/${doctorId}/slots?date=${futureDate(6)}`;
    const slots = (await call(app.url, 'GET', path)).body.slots;
    const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Here', doctor_id: doctorId, appointment_time: slots[1].start } });
    assert.equal(booked.status, 201);
    assert.equal((await call(app.url, 'GET', path)).body.slots[1].available, false);
  });

  test('the doctor list is cached and refreshed when a doctor is added', async () => {
    const before = (await call(app.url, 'GET', '/api/doctors')).body.items.length;
    await withoutSelect('doctors', async () => assert.equal((await call(app.url, 'GET', '/api/doctors')).status, 200));
    await addDoctor(db, { name: 'Dr Newcomer' });
    await until('the new doctor to be listed', async () => (await call(app.url, 'GET', '/api/doctors')).body.items.length === before + 1);
  });

  test('concurrent reads of an uncached day are answered alike', async () => {
    const doctorId = await addDoctor(db);
    const path = `/api/doctors/${doctorId}/slots?date=${futureDate(8)}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(app.url, 'GET', path)));
    assert.ok(answers.every((a) => a.status === 200 && a.text === answers[0].text));
  });
});
