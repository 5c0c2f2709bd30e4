import assert from 'node:assert/strict';
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

const everyDay = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
const starts = (body: { slots: Array<{ start: string }> }) => body.slots.map((s) => s.start);

describe('GET /api/doctors', () => {
  test('lists doctors with the documented fields, no more', async () => {
    const id = await addDoctor(db, { name: 'Dr Listed', specialty: 'Cardiology', timezone: 'Europe/Paris', slotMinutes: 20 });
    const res = await call(app.url, 'GET', '/api/doctors');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8$/);
    const doctor = res.body.items.find((d: { id: number }) => d.id === id);
    const [type] = doctor.appointment_types;
    assert.deepEqual(doctor, {
      id,
      name: 'Dr Listed',
      specialty: 'Cardiology',
      timezone: 'Europe/Paris',
      slot_minutes: 20,
      appointment_types: [{ id: type.id, name: 'Appointment', minutes: 20, is_default: true }],
    });
  });
});

describe('GET /api/doctors/:id/slots', () => {
  test('gives the day in the doctor zone, ordered, each slot_minutes long', async () => {
    const id = await addDoctor(db, { timezone: 'Europe/London', slotMinutes: 20, hours: everyDay('09:00', '10:00') });
    const date = '2026-12-15'; // GMT, no offset
    const res = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=${date}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.doctor_id, id);
    assert.equal(res.body.date, date);
    assert.equal(res.body.timezone, 'Europe/London');
    assert.deepEqual(res.body.slots, [
      { start: '2026-12-15T09:00:00.000Z', end: '2026-12-15T09:20:00.000Z', available: true },
      { start: '2026-12-15T09:20:00.000Z', end: '2026-12-15T09:40:00.000Z', available: true },
      { start: '2026-12-15T09:40:00.000Z', end: '2026-12-15T10:00:00.000Z', available: true },
    ]);
  });

  test('a day with no working hours has no slots', async () => {
    const id = await addDoctor(db, { hours: [{ weekday: 1, start: '09:00', end: '10:00' }] });
    const res = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-12-13`); // a Sunday
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.slots, []);
  });

  test('Melbourne on 2026-04-05 (daylight saving ends): 09:00 on the clinic clock is 23:00Z the day before', async () => {
    const id = await addDoctor(db, { timezone: 'Australia/Melbourne', slotMinutes: 60, hours: everyDay('09:00', '11:00') });
    const before = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-04-04`);
    const onTheDay = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-04-05`);
    assert.deepEqual(starts(before.body), ['2026-04-03T22:00:00.000Z', '2026-04-03T23:00:00.000Z']); // AEDT, +11
    assert.deepEqual(starts(onTheDay.body), ['2026-04-04T23:00:00.000Z', '2026-04-05T00:00:00.000Z']); // AEST, +10
  });

  test('New York on 2026-03-08 (daylight saving starts): 09:00 is 13:00Z, and the skipped 02:00 is no slot', async () => {
    const id = await addDoctor(db, { timezone: 'America/New_York', slotMinutes: 60, hours: everyDay('00:00', '10:00') });
    const res = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-03-08`);
    const local = starts(res.body).map((s) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(s)),
    );
    assert.deepEqual(local, ['00:00', '01:00', '03:00', '04:00', '05:00', '06:00', '07:00', '08:00', '09:00']);
    assert.ok(starts(res.body).includes('2026-03-08T13:00:00.000Z'));
    const dayBefore = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-03-07`);
    assert.ok(starts(dayBefore.body).includes('2026-03-07T14:00:00.000Z'));
  });

  test('the date is read in the doctor zone, not UTC', async () => {
    const id = await addDoctor(db, { timezone: 'Pacific/Auckland', slotMinutes: 60, hours: everyDay('08:00', '09:00') });
    const res = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-12-15`);
    // 08:00 NZDT (+13) on the 15th is 19:00Z on the 14th.
    assert.deepEqual(starts(res.body), ['2026-12-14T19:00:00.000Z']);
  });

  test('past slots and booked slots are not available', async () => {
    const id = await addDoctor(db, { hours: everyDay('09:00', '10:00') });
    const past = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2020-01-06`);
    assert.equal(past.body.slots.length, 2);
    assert.ok(past.body.slots.every((s: { available: boolean }) => !s.available));
    const date = futureDate(3);
    const open = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=${date}`);
    const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'P', doctor_id: id, appointment_time: open.body.slots[1].start } });
    assert.equal(booked.status, 201);
    const after = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=${date}`);
    assert.deepEqual(after.body.slots.map((s: { available: boolean }) => s.available), [true, false]);
    assert.doesNotMatch(after.text, /"P"|patient/, 'slots carry no patient data');
  });

  const bad: Array<[string, string]> = [
    ['missing date', '?'],
    ['empty date', '?date='],
    ['not a date', '?date=tomorrow'],
    ['not a calendar date', '?date=2026-02-30'],
    ['month 13', '?date=2026-13-01'],
    ['timestamp, not date', '?date=2026-03-01T00:00:00Z'],
    ['repeated date', '?date=2026-03-01&date=2026-03-02'],
    ['unknown parameter', '?date=2026-03-01&doctor=1'],
    ["SQL in date", "?date=2026-03-01'%20OR%20'1'='1"],
  ];
  for (const [name, query] of bad) {
    test(`400 for ${name}`, async () => {
      const id = await addDoctor(db);
      const res = await call(app.url, 'GET', `/api/doctors/${id}/slots${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(typeof res.body.message, 'string');
    });
  }

  for (const id of ['0', '-1', 'abc', '1.5', '1e3', '99999999999', "1%20OR%201=1"]) {
    test(`400 for doctor id ${decodeURIComponent(id)}`, async () => {
      const res = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=2026-03-01`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_request');
    });
  }

  test('404 for a well-formed id of no doctor', async () => {
    const res = await call(app.url, 'GET', '/api/doctors/987654/slots?date=2026-03-01');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'not_found');
  });
});
