import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/** BOOKING_CHALLENGE=on: an anonymous booking needs a solved ALTCHA proof-of-work, once. */
let db: TestDatabase;
let app: RunningApp;
let doctorId: number;
let slots: string[];
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { BOOKING_CHALLENGE: 'on', BOOKING_CHALLENGE_WORK: '2000' });
  doctorId = await addDoctor(db);
  slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(3)}`)).body.slots.map((s: { start: string }) => s.start);
});
after(async () => {
  await app.close();
  await db.drop();
});

const count = async () => Number((await db.owner.query('SELECT count(*) AS n FROM appointments')).rows[0].n);
const booking = (i: number) => ({ patient_name: 'Human Patient', doctor_id: doctorId, appointment_time: slots[i] });
const header = (challenge: unknown, solution: unknown) => Buffer.from(JSON.stringify({ challenge, solution })).toString('base64url');

async function solved(): Promise<{ challenge: Challenge; solution: { counter: number; derivedKey: string } }> {
  const res = await call(app.url, 'GET', '/api/booking-challenge');
  assert.equal(res.status, 200);
  const solution = await solveChallenge({ challenge: res.body, deriveKey });
  assert.ok(solution);
  return { challenge: res.body, solution };
}

describe('the booking challenge', () => {
  test('without a solved challenge a booking is 428 challenge_required and stores nothing', async () => {
    const before = await count();
    for (const value of [undefined, 'not base64 json', header({ parameters: {} }, { counter: 1, derivedKey: 'x' })]) {
      const res = await call(app.url, 'POST', '/api/appointments', { body: booking(0), headers: value ? { 'booking-challenge': value } : {} });
      assert.equal(res.status, 428, String(value));
      assert.equal(res.body.error, 'challenge_required');
    }
    assert.equal(await count(), before);
  });

  test('a solved challenge books once; its replay, a wrong derived key and a forged challenge are refused', async () => {
    const { challenge, solution } = await solved();
    const ok = await call(app.url, 'POST', '/api/appointments', { body: booking(1), headers: { 'booking-challenge': header(challenge, solution) } });
    assert.equal(ok.status, 201);
    const replay = await call(app.url, 'POST', '/api/appointments', { body: booking(2), headers: { 'booking-challenge': header(challenge, solution) } });
    assert.equal(replay.status, 428);
    const fresh = await solved();
    const wrong = await call(app.url, 'POST', '/api/appointments', { body: booking(3), headers: { 'booking-challenge': header(fresh.challenge, { ...fresh.solution, derivedKey: fresh.solution.derivedKey.replace(/^./, (c) => (c === '0' ? '1' : '0')) }) } });
    assert.equal(wrong.status, 428);
    const forged = { ...fresh.challenge, parameters: { ...fresh.challenge.parameters, cost: 1, keyPrefix: '0' } };
    const cheat = await call(app.url, 'POST', '/api/appointments', { body: booking(4), headers: { 'booking-challenge': header(forged, fresh.solution) } });
    assert.equal(cheat.status, 428);
    // The fresh one was never accepted, so it still books.
    const later = await call(app.url, 'POST', '/api/appointments', { body: booking(5), headers: { 'booking-challenge': header(fresh.challenge, fresh.solution) } });
    assert.equal(later.status, 201);
  });
});
