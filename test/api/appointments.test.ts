import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

const STAFF_TOKEN = 'staff-token-for-tests-0123456789';
const staff = { Authorization: `Bearer ${STAFF_TOKEN}` };

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { STAFF_TOKEN });
});
after(async () => {
  await app.close();
  await db.drop();
});

async function bookOne(days = 4, slotIndex = 0): Promise<{ doctorId: number; start: string; appointment: any }> {
  const doctorId = await addDoctor(db);
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  const start = slots.body.slots[slotIndex].start;
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Grace Hopper', doctor_id: doctorId, appointment_time: start } });
  assert.equal(res.status, 201);
  return { doctorId, start, appointment: res.body };
}

describe('GET /api/appointments/:reference', () => {
  test('the holder of the reference gets the appointment', async () => {
    const { appointment } = await bookOne();
    const res = await call(app.url, 'GET', `/api/appointments/${appointment.reference}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, appointment);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  test('malformed and unknown references get the same 404', async () => {
    const unknown = await call(app.url, 'GET', `/api/appointments/${'A'.repeat(22)}`);
    const malformed = await call(app.url, 'GET', `/api/appointments/${encodeURIComponent("x' OR '1'='1")}`);
    const short = await call(app.url, 'GET', '/api/appointments/abc');
    for (const res of [unknown, malformed, short]) {
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, unknown.body);
    }
  });
});

describe('DELETE /api/appointments/:reference', () => {
  test('cancels, repeats as 200, and frees the slot for someone else', async () => {
    const { doctorId, start, appointment } = await bookOne();
    const first = await call(app.url, 'DELETE', `/api/appointments/${appointment.reference}`);
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'cancelled');
    assert.equal(first.body.id, appointment.id);
    const again = await call(app.url, 'DELETE', `/api/appointments/${appointment.reference}`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM outbox WHERE subject = $1 AND type LIKE '%cancelled%'", [`appointments/${appointment.id}`]);
    assert.equal(rows[0].n, 1, 'cancelling twice queues one event');

    const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(4)}`);
    assert.equal(slots.body.slots.find((s: { start: string }) => s.start === start).available, true);
    const rebooked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Next', doctor_id: doctorId, appointment_time: start } });
    assert.equal(rebooked.status, 201);
    const lookup = await call(app.url, 'GET', `/api/appointments/${appointment.reference}`);
    assert.equal(lookup.body.status, 'cancelled', 'the cancelled one stays cancelled');
  });

  test('404 for unknown and malformed references', async () => {
    for (const ref of ['B'.repeat(22), 'short', encodeURIComponent("'; DELETE FROM appointments; --")]) {
      const res = await call(app.url, 'DELETE', `/api/appointments/${ref}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'not_found');
    }
  });

  test('concurrent cancels: all 200 cancelled, one event', async () => {
    const { appointment } = await bookOne(6);
    const results = await Promise.all(Array.from({ length: 10 }, () => call(app.url, 'DELETE', `/api/appointments/${appointment.reference}`)));
    assert.ok(results.every((r) => r.status === 200 && r.body.status === 'cancelled'));
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [`appointments/${appointment.id}`]);
    assert.equal(rows[0].n, 2, 'one booked and one cancelled event');
  });
});

describe('GET /api/appointments (staff)', () => {
  test('401 without a token, with a wrong one, or another scheme; on the alias too', async () => {
    const attempts: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Basic ${STAFF_TOKEN}` }, { Authorization: `Bearer ${STAFF_TOKEN}x` }];
    for (const headers of attempts) {
      for (const path of ['/api/appointments', '/appointments']) {
        const res = await call(app.url, 'GET', path, { headers });
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(res.body.error, 'unauthorized');
      }
    }
  });

  const badFilters = [
    'limit=0', 'limit=201', 'limit=abc', 'limit=-1', 'status=pending', "status=booked'--", 'doctor_id=abc', 'doctor_id=0',
    'doctor_id=1%20OR%201=1', 'from=yesterday', 'to=2026-13-01T00:00:00Z', 'cursor=%25%25%25', 'cursor=bm90LWEtY3Vyc29y',
    'unknown=1', 'limit=5&limit=6', 'from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
  ];
  for (const query of badFilters) {
    test(`400 for ${decodeURIComponent(query)}`, async () => {
      const res = await call(app.url, 'GET', `/api/appointments?${query}`, { headers: staff });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_request');
    });
  }

  test('filters by doctor, status and [from, to); ordered by time then id', async () => {
    const doctorId = await addDoctor(db);
    const date = futureDate(9);
    const slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${date}`)).body.slots.map((s: { start: string }) => s.start);
    const made = [];
    for (const start of slots.slice(0, 4)) {
      made.push((await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'F', doctor_id: doctorId, appointment_time: start } })).body);
    }
    await call(app.url, 'DELETE', `/api/appointments/${made[1].reference}`);
    const all = await call(app.url, 'GET', `/api/appointments?doctor_id=${doctorId}`, { headers: staff });
    assert.equal(all.status, 200);
    assert.deepEqual(all.body.items.map((a: { id: number }) => a.id), made.map((a) => a.id));
    assert.equal(all.body.next_cursor, null);
    const booked = await call(app.url, 'GET', `/api/appointments?doctor_id=${doctorId}&status=booked`, { headers: staff });
    assert.deepEqual(booked.body.items.map((a: { id: number }) => a.id), [made[0].id, made[2].id, made[3].id]);
    const window = await call(app.url, 'GET', `/api/appointments?doctor_id=${doctorId}&from=${encodeURIComponent(slots[1])}&to=${encodeURIComponent(slots[3])}`, { headers: staff });
    assert.deepEqual(window.body.items.map((a: { id: number }) => a.id), [made[1].id, made[2].id], 'from inclusive, to exclusive');
    const alias = await call(app.url, 'GET', `/appointments?doctor_id=${doctorId}`, { headers: staff });
    assert.deepEqual(alias.body, all.body);
  });

  test('the cursor walks 500 appointments with no gap and no duplicate', async () => {
    const doctorId = await addDoctor(db);
    // 500 appointments, several sharing a start time with different doctors would be invalid; instead
    // give them distinct times, and add a second doctor's rows at identical times to exercise the id tie-break.
    const other = await addDoctor(db);
    await db.owner.query(
      `INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time)
       SELECT sha256(convert_to('walk' || lpad(d.id::text, 3, '0') || lpad(n::text, 15, '0'), 'UTF8')), 'Walker ' || n, d.id,
              timestamptz '2030-01-01 08:00Z' + n * interval '30 minutes', timestamptz '2030-01-01 08:30Z' + n * interval '30 minutes'
       FROM generate_series(1, 250) AS n CROSS JOIN (VALUES ($1::int), ($2::int)) AS d (id)`,
      [doctorId, other],
    );
    const expected = (
      await db.owner.query(
        'SELECT id FROM appointments WHERE doctor_id IN ($1, $2) ORDER BY appointment_time, id',
        [doctorId, other],
      )
    ).rows.map((r) => Number(r.id));
    assert.equal(expected.length, 500);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `from=2030-01-01T00:00:00Z&limit=37${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(app.url, 'GET', `/api/appointments?${query}`, { headers: staff });
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length <= 37);
      seen.push(...res.body.items.map((a: { id: number }) => a.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    assert.equal(pages, Math.ceil(500 / 37));
    assert.deepEqual(seen, expected);
  });

  test('limit defaults to 50 and the last full page has no cursor', async () => {
    const res = await call(app.url, 'GET', '/api/appointments?from=2030-01-01T00:00:00Z', { headers: staff });
    assert.equal(res.body.items.length, 50);
    assert.equal(typeof res.body.next_cursor, 'string');
    const exact = await call(app.url, 'GET', '/api/appointments?from=2030-01-01T00:00:00Z&to=2030-01-01T08:31:00Z', { headers: staff });
    assert.equal(exact.body.items.length, 2);
    assert.equal(exact.body.next_cursor, null);
  });
});
