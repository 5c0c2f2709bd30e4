import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newIdempotencyKey } from '../../web/src/lib/idempotency';
import { addDays, dateIn, dayRange, formatTime, isDate, slotTimes } from '../../web/src/lib/time';

/**
 * The widget's DOM-free helpers (web/src/lib), run in Node. They live beside the browser
 * tests because test/e2e is where the web's tests are kept.
 */

test('dateIn reads the calendar day on a zone\'s clock', () => {
  const instant = new Date('2026-03-08T14:00:00Z');
  assert.equal(dateIn('UTC', instant), '2026-03-08');
  assert.equal(dateIn('Australia/Melbourne', instant), '2026-03-09');
  assert.equal(dateIn('America/Los_Angeles', new Date('2026-03-09T03:00:00Z')), '2026-03-08');
});

test('dayRange spans the day on the zone\'s clock, 23 to 25 hours around daylight saving', () => {
  const cases: Array<[string, string, string, string]> = [
    ['2026-12-08', 'UTC', '2026-12-08T00:00:00.000Z', '2026-12-09T00:00:00.000Z'],
    ['2026-12-08', 'Australia/Melbourne', '2026-12-07T13:00:00.000Z', '2026-12-08T13:00:00.000Z'],
    // Melbourne leaves daylight saving at 03:00 on 5 April 2026: a 25-hour day.
    ['2026-04-05', 'Australia/Melbourne', '2026-04-04T13:00:00.000Z', '2026-04-05T14:00:00.000Z'],
    // New York springs forward on 8 March 2026 (23 hours) and falls back on 1 November (25).
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    // Santiago skips midnight on 6 September 2026: the day starts at 01:00.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z'],
  ];
  for (const [date, zone, from, to] of cases) assert.deepEqual(dayRange(date, zone), { from, to }, `${date} in ${zone}`);
});

test('addDays and isDate work on calendar days', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2028-03-01', -1), '2028-02-29');
  assert.equal(isDate('2026-12-05'), true);
  assert.equal(isDate('2026-02-30'), false);
  assert.equal(isDate('0020-12-05'), false, 'a year still being typed is not asked about');
  assert.equal(isDate('2026-12-5'), false);
  assert.equal(isDate(''), false);
});

test('slotTimes gives the doctor\'s clock, and the patient\'s only when it reads differently', () => {
  const start = '2026-12-04T22:00:00Z';
  assert.deepEqual(slotTimes(start, 'Australia/Melbourne', 'Australia/Melbourne', 'en-GB'), { doctor: '09:00' });
  assert.deepEqual(slotTimes(start, 'UTC', 'Etc/UTC', 'en-GB'), { doctor: '22:00' }, 'two names for one clock');
  assert.deepEqual(slotTimes(start, 'Australia/Melbourne', 'UTC', 'en-GB'), { doctor: '09:00', local: '22:00 Fri' });
  assert.deepEqual(slotTimes('2026-12-05T01:00:00Z', 'Australia/Melbourne', 'UTC', 'en-GB'), { doctor: '12:00', local: '01:00' });
  assert.equal(formatTime(start, 'Australia/Melbourne', 'en-US'), '09:00 AM');
});

test('newIdempotencyKey makes random v4 UUIDs, with or without crypto.randomUUID', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const keys = new Set(Array.from({ length: 200 }, newIdempotencyKey));
  assert.equal(keys.size, 200);
  for (const key of keys) assert.match(key, uuid);
  // Outside a secure context browsers have no randomUUID.
  Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
  try {
    const fallback = new Set(Array.from({ length: 200 }, newIdempotencyKey));
    assert.equal(fallback.size, 200);
    for (const key of fallback) assert.match(key, uuid);
  } finally {
    delete (crypto as { randomUUID?: unknown }).randomUUID;
  }
  assert.equal(typeof crypto.randomUUID, 'function');
});
