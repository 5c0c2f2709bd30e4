import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { copyBundle, startBundle, type RunningBundle } from '../deploy/bundle';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * The limits of issue 16, on: each scenario comes from its own client address, which
 * TRUSTED_PROXIES=1 takes from the X-Forwarded-For that a (here simulated) proxy appended.
 */
const limits = {
  BOOKING_LIMITS: 'on',
  TRUSTED_PROXIES: '1',
  BOOKING_RATE_PER_ADDRESS: '12',
  BOOKING_RATE_PER_CONTACT: '100',
  MAX_FUTURE_BOOKINGS_PER_CONTACT: '3',
  SIGNIN_FAILURES_PER_ADDRESS: '5',
  LOOKUP_RATE_PER_ADDRESS: '8',
};

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { ...limits, STAFF_TOKEN: 'limits-test-service-token-0123456789' });
});
after(async () => {
  await app.close();
  await db.drop();
});

/** A doctor's whole day: 16 half-hour slots. */
async function wholeDay(days: number): Promise<{ doctorId: number; slots: string[] }> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  return { doctorId, slots: res.body.slots.map((s: { start: string }) => s.start) };
}

const bookedFor = async (doctorId: number) =>
  (await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND status = 'booked'", [doctorId])).rows[0].n as number;

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

describe('the hoarding run', () => {
  test('one client booking a whole day as fast as it can, with one e-mail, gets the cap and then 429s', async () => {
    const { doctorId, slots } = await wholeDay(6);
    assert.equal(slots.length, 16);
    const answers = await Promise.all(
      slots.map((time, i) =>
        call(app.url, 'POST', '/api/appointments', {
          body: { patient_name: `Hoarder ${i}`, doctor_id: doctorId, appointment_time: time, patient_email: 'hoarder@example.org' },
          headers: { 'x-forwarded-for': '198.51.100.7' },
        }),
      ),
    );
    const counts = tally(answers.map((a) => a.status));
    assert.deepEqual(counts, { 201: 3, 422: 9, 429: 4 }, JSON.stringify(counts));
    assert.equal(await bookedFor(doctorId), 3, 'no more than the cap is booked');
    for (const a of answers.filter((x) => x.status === 429)) {
      assert.equal(a.body.error, 'too_many_requests');
      const retry = Number(a.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 3600, `Retry-After ${retry}`);
    }
    assert.ok(answers.filter((x) => x.status === 422).every((a) => /upcoming appointments/.test(a.body.message)));
    // The same contact spelled otherwise is the same patient.
    const spelled = await call(app.url, 'POST', '/api/appointments', {
      body: { patient_name: 'Hoarder', doctor_id: doctorId, appointment_time: slots[15], patient_email: ' HOARDER@example.org ' },
      headers: { 'x-forwarded-for': '198.51.100.70' },
    });
    assert.equal(spelled.status, 422);
  });

  test('without a contact, the address limit alone stops it', async () => {
    const { doctorId, slots } = await wholeDay(7);
    const answers = await Promise.all(
      slots.map((time, i) =>
        call(app.url, 'POST', '/api/appointments', { body: { patient_name: `Anon ${i}`, doctor_id: doctorId, appointment_time: time }, headers: { 'x-forwarded-for': '198.51.100.8' } }),
      ),
    );
    assert.deepEqual(tally(answers.map((a) => a.status)), { 201: 12, 429: 4 });
    assert.equal(await bookedFor(doctorId), 12);
    // Another client is not held back by the first one's count.
    const other = await call(app.url, 'POST', '/api/appointments', {
      body: { patient_name: 'Other', doctor_id: doctorId, appointment_time: slots[15] },
      headers: { 'x-forwarded-for': '198.51.100.9' },
    });
    assert.ok([201, 409].includes(other.status), `another address: ${other.status}`);
    // A client-written X-Forwarded-For entry in front of the proxy's is not believed.
    const spoofed = await call(app.url, 'POST', '/api/appointments', {
      body: { patient_name: 'Spoof', doctor_id: doctorId, appointment_time: slots[14] },
      headers: { 'x-forwarded-for': '10.9.9.9, 198.51.100.8' },
    });
    assert.equal(spoofed.status, 429);
  });

  test('lookups and cancellations share a per-address budget', async () => {
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await call(app.url, i % 2 ? 'DELETE' : 'GET', `/api/appointments/${'A'.repeat(21)}${i}`, { headers: { 'x-forwarded-for': '198.51.100.20' } })).status);
    }
    assert.deepEqual(tally(statuses), { 404: 8, 429: 2 });
  });

  test('guessing the staff credential is held to a few tries a minute; the right one is never counted', async () => {
    const right = 'limits-test-service-token-0123456789';
    const from = (address: string, token: string) => ({ authorization: `Bearer ${token}`, 'x-forwarded-for': address });
    for (let i = 0; i < 5; i++) assert.equal((await call(app.url, 'GET', '/api/appointments', { headers: from('198.51.100.30', `wrong-guess-${i}-000000000000000000`) })).status, 401);
    const refused = await call(app.url, 'GET', '/api/appointments', { headers: from('198.51.100.30', 'wrong-guess-5-000000000000000000') });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    // That address waits out the window whatever it sends; staff elsewhere are not affected,
    // and a valid credential never counts, however often it is used.
    assert.equal((await call(app.url, 'GET', '/api/appointments', { headers: from('198.51.100.30', right) })).status, 429);
    for (let i = 0; i < 8; i++) assert.equal((await call(app.url, 'GET', '/api/appointments', { headers: from('198.51.100.31', right) })).status, 200);
  });
});

describe('two server processes', () => {
  let bundle: ReturnType<typeof copyBundle>;
  let servers: RunningBundle[] = [];
  before(async () => {
    bundle = copyBundle('functions/create-booking');
    const env = { DATABASE_URL: db.appUrl, FUNCTION_TARGET: 'createBooking', ...limits, BOOKING_RATE_PER_ADDRESS: '6' };
    servers = await Promise.all([startBundle(bundle.dir, env), startBundle(bundle.dir, env)]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    bundle?.remove();
  });

  test('share one limit: together they allow what one does', async () => {
    const { doctorId, slots } = await wholeDay(8);
    const statuses: number[][] = [[], []];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${servers[i % 2].url}/api/appointments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.40' },
        body: JSON.stringify({ patient_name: `Two ${i}`, doctor_id: doctorId, appointment_time: slots[i] }),
      });
      await res.text();
      statuses[i % 2].push(res.status);
    }
    assert.deepEqual(tally(statuses.flat()), { 201: 6, 429: 6 });
    assert.ok(statuses.every((s) => s.includes(201) && s.includes(429)), `each process counted the other's hits: ${JSON.stringify(statuses)}`);
    assert.equal(await bookedFor(doctorId), 6);
  });
});
