import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type DoctorSpec, type TestDatabase } from '../helpers/db';

// Discovery (issue 11): GET /api/availability ("first available" across doctors) and
// GET /api/doctors/{id}/days (a month's bookable days), through the public API, against the
// schedule of db/migrations/013 as the owner arranges it. Free must mean exactly what a booking
// accepts, so the tests book what is offered and arrange what a booking refuses.

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  // No cache: each test changes the schedule as the owner and reads it back at once.
  app = await startApp(db.appUrl, { SLOT_CACHE_TTL_MS: '0' });
});
after(async () => {
  await app?.close();
  await db?.drop();
});

const everyDay = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

/** A specialty no other test's doctor has, so a search across doctors sees only this test's. */
const ownSpecialty = (what: string) => `${what} ${randomBytes(4).toString('hex')}`;

interface Offered {
  doctor_id: number;
  doctor_name: string;
  specialty: string;
  timezone: string;
  appointment_type_id: number;
  appointment_type_name: string;
  minutes: number;
  start: string;
  end: string;
}

async function firstAvailable(query: Record<string, string | number>): Promise<Offered[]> {
  const res = await call(app.url, 'GET', `/api/availability?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);
  assert.equal(res.status, 200, res.text);
  return res.body.items;
}

async function days(doctorId: number, query: string): Promise<Array<{ date: string; free_slots: number }>> {
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/days?${query}`);
  assert.equal(res.status, 200, res.text);
  return res.body.days;
}

const book = (doctorId: number, start: string) =>
  call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Discovery Test', doctor_id: doctorId, appointment_time: start } });

async function addType(doctorId: number, name: string, minutes: number, active = true): Promise<number> {
  const { rows } = await db.owner.query('INSERT INTO appointment_types (doctor_id, name, minutes, active) VALUES ($1, $2, $3, $4) RETURNING id', [doctorId, name, minutes, active]);
  return rows[0].id;
}

const defaultTypeOf = async (doctorId: number): Promise<number> =>
  (await db.owner.query('SELECT id FROM appointment_types WHERE doctor_id = $1 AND is_default', [doctorId])).rows[0].id;

const doctor = (spec: DoctorSpec) => addDoctor(db, spec);

/** The dates of a month, YYYY-MM-DD. */
function datesOf(month: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${month}-01T00:00:00Z`); d.toISOString().startsWith(month); d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
  return out;
}

describe('GET /api/availability', () => {
  test('orders by start across doctors in different zones, each read on their own clock, then by doctor id', async () => {
    const specialty = ownSpecialty('Zones');
    const hours = everyDay('09:00', '10:00');
    const auckland = await doctor({ name: 'Dr Auckland', specialty, timezone: 'Pacific/Auckland', slotMinutes: 60, hours });
    const newYork = await doctor({ name: 'Dr New York', specialty, timezone: 'America/New_York', slotMinutes: 60, hours });
    const london = await doctor({ name: 'Dr London', specialty, timezone: 'Europe/London', slotMinutes: 60, hours });
    const london2 = await doctor({ name: 'Dr London Two', specialty, timezone: 'Europe/London', slotMinutes: 60, hours });
    const day = futureDate(5);
    const items = await firstAvailable({ from: day, to: day, specialty });
    // 09:00 on `day` of each clock: Auckland (+13 in summer) the evening before in UTC, London (+0), New York (-5).
    const previous = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(
      items.map((i) => [i.doctor_id, i.start]),
      [
        [auckland, `${previous}T20:00:00.000Z`],
        [london, `${day}T09:00:00.000Z`],
        [london2, `${day}T09:00:00.000Z`],
        [newYork, `${day}T14:00:00.000Z`],
      ],
    );
    const [first] = items;
    assert.deepEqual(first, {
      doctor_id: auckland,
      doctor_name: 'Dr Auckland',
      specialty,
      timezone: 'Pacific/Auckland',
      appointment_type_id: await defaultTypeOf(auckland),
      appointment_type_name: 'Appointment',
      minutes: 60,
      start: `${previous}T20:00:00.000Z`,
      end: `${previous}T21:00:00.000Z`,
    });
  });

  test('specialty matches exactly in any case; appointment_type by name in any case, else the default type; an inactive type never', async () => {
    const specialty = ownSpecialty('Filters');
    const plain = await doctor({ specialty, slotMinutes: 30 });
    const withNewPatient = await doctor({ specialty, slotMinutes: 30 });
    await doctor({ specialty: `${specialty} extra`, slotMinutes: 30 });
    const newPatient = await addType(withNewPatient, 'New patient', 45);
    await addType(plain, 'New patient', 45, false);
    const day = futureDate(4);

    const bySpecialty = await firstAvailable({ from: day, to: day, specialty: specialty.toUpperCase(), limit: 100 });
    assert.deepEqual([...new Set(bySpecialty.map((i) => i.doctor_id))].sort(), [plain, withNewPatient].sort(), 'exact, not a prefix');
    assert.ok(bySpecialty.every((i) => i.appointment_type_name === 'Appointment' && i.minutes === 30), 'the default type without appointment_type');

    // Another spelling of the name on the same doctor: still one type, three slots, for them.
    await addType(withNewPatient, 'new PATIENT', 20);
    const byType = await firstAvailable({ from: day, to: day, specialty, appointment_type: 'NEW patient' });
    assert.equal(byType.length, 3);
    assert.ok(byType.every((i) => i.doctor_id === withNewPatient && i.appointment_type_id === newPatient && i.appointment_type_name === 'New patient' && i.minutes === 45));
    assert.equal(Date.parse(byType[0].end) - Date.parse(byType[0].start), 45 * 60_000);
    assert.deepEqual(byType.map((i) => i.start.slice(11, 16)), ['09:00', '09:45', '10:30'], "the type's own step");

    const exact = await firstAvailable({ from: day, to: day, specialty, appointment_type: 'new PATIENT' });
    assert.ok(exact.length === 3 && exact.every((i) => i.appointment_type_name === 'new PATIENT' && i.minutes === 20), 'the exact spelling wins');

    await db.owner.query("UPDATE appointment_types SET active = false WHERE doctor_id = $1 AND lower(name) = 'new patient'", [withNewPatient]);
    assert.deepEqual(await firstAvailable({ from: day, to: day, specialty, appointment_type: 'New patient' }), []);
  });

  test('at most 3 slots a doctor, at most limit in all, and an inactive doctor never', async () => {
    const specialty = ownSpecialty('Cap');
    const a = await doctor({ specialty, slotMinutes: 30 });
    const b = await doctor({ specialty, slotMinutes: 30 });
    const c = await doctor({ specialty, slotMinutes: 30 });
    const day = futureDate(6);
    const all = await firstAvailable({ from: day, to: futureDate(8), specialty, limit: 100 });
    assert.equal(all.length, 9, 'three doctors, three each, though each has 48 free');
    for (const id of [a, b, c]) assert.deepEqual(all.filter((i) => i.doctor_id === id).map((i) => i.start.slice(11, 16)), ['09:00', '09:30', '10:00']);
    const sorted = [...all].sort((x, y) => x.start.localeCompare(y.start) || x.doctor_id - y.doctor_id);
    assert.deepEqual(all, sorted);

    const limited = await firstAvailable({ from: day, specialty, limit: 4 });
    assert.deepEqual(limited, all.slice(0, 4));
    assert.equal((await firstAvailable({ from: day, specialty })).length, 9, 'limit defaults to 10');

    await db.owner.query('UPDATE doctors SET active = false WHERE id = $1', [b]);
    const withoutB = await firstAvailable({ from: day, specialty, limit: 100 });
    assert.equal(withoutB.length, 6);
    assert.ok(withoutB.every((i) => i.doctor_id !== b));
  });

  test('a booked slot is not offered, and is again once cancelled; what is offered can be booked', async () => {
    const doctorId = await doctor({ slotMinutes: 30 });
    const day = futureDate(3);
    const [first, second] = await firstAvailable({ from: day, doctor_id: doctorId });
    const booked = await book(doctorId, first.start);
    assert.equal(booked.status, 201, booked.text);

    const afterBooking = await firstAvailable({ from: day, doctor_id: doctorId });
    assert.equal(afterBooking[0].start, second.start);
    assert.ok(!afterBooking.some((i) => i.start === first.start));

    const cancelled = await call(app.url, 'DELETE', `/api/appointments/${booked.body.reference}`);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal((await firstAvailable({ from: day, doctor_id: doctorId }))[0].start, first.start);
  });

  test('the minimum notice (booking_rules, as the owner) keeps near slots out', async () => {
    const doctorId = await doctor({ timezone: 'UTC', slotMinutes: 15, hours: everyDay('00:00', '24:00') });
    const from = futureDate(0);
    const near = await firstAvailable({ from, to: futureDate(1), doctor_id: doctorId });
    assert.ok(Date.parse(near[0].start) < Date.now() + 16 * 60_000, 'without notice the next quarter hour');
    assert.ok(Date.parse(near[0].start) > Date.now(), 'never a past slot');
    await db.owner.query('UPDATE booking_rules SET min_notice_minutes = 600');
    try {
      const later = await firstAvailable({ from, to: futureDate(1), doctor_id: doctorId });
      assert.equal(later.length, 3);
      const earliest = Date.parse(later[0].start);
      assert.ok(earliest >= Date.now() + 600 * 60_000 - 60_000, `${later[0].start} is not within 10 hours`);
      assert.ok(earliest < Date.now() + 616 * 60_000, 'and the first one after it');
    } finally {
      await db.owner.query('UPDATE booking_rules SET min_notice_minutes = 0');
    }
  });

  test('from..to: at most 62 days in all; to before from, bad dates, limits and unknown parameters are 400 with issues', async () => {
    assert.equal((await call(app.url, 'GET', '/api/availability?from=2027-01-01&to=2027-03-03&doctor_id=2147483647')).status, 200, '62 days in all');
    const cases: Array<[string, string]> = [
      ['from=2027-01-01&to=2027-03-04', 'to'],
      ['from=2027-01-10&to=2027-01-09', 'to'],
      ['to=2026-01-01', 'to'],
      ['from=2027-02-30', 'from'],
      ['from=27-01-01', 'from'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['doctor_id=abc', 'doctor_id'],
      ['specialty=', 'specialty'],
      [`appointment_type=${'x'.repeat(101)}`, 'appointment_type'],
      ['date=2027-01-01', 'date'],
      ['limit=5&limit=6', 'limit'],
    ];
    for (const [query, path] of cases) {
      const res = await call(app.url, 'GET', `/api/availability?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.error, 'invalid_request');
      assert.deepEqual(res.body.issues.map((i: { path: string }) => i.path), [path], query);
    }
  });

  test('defaults: from is today (UTC), to two weeks on; an empty search is an empty list', async () => {
    const res = await call(app.url, 'GET', `/api/availability?specialty=${ownSpecialty('Nobody')}`);
    assert.equal(res.status, 200);
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(res.body, { from: today, to: new Date(Date.parse(today) + 13 * 86_400_000).toISOString().slice(0, 10), items: [] });
  });

  test('public and cacheable: an ETag, Cache-Control, and 304 for a current If-None-Match', async () => {
    const doctorId = await doctor({ slotMinutes: 30 });
    const path = `/api/availability?from=${futureDate(2)}&doctor_id=${doctorId}`;
    const first = await call(app.url, 'GET', path);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=5, stale-while-revalidate=25');
    const etag = first.headers.get('etag')!;
    const again = await call(app.url, 'GET', path, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    await book(doctorId, first.body.items[0].start);
    const changed = await call(app.url, 'GET', path, { headers: { 'If-None-Match': etag } });
    assert.equal(changed.status, 200, 'a booking changes the answer, so the old tag no longer matches');
    assert.notEqual(changed.headers.get('etag'), etag);
  });
});

describe('GET /api/doctors/{id}/days', () => {
  test("the month's days on the doctor's calendar: a holiday, a closed date and a day of time off are not listed; a booking counts", async () => {
    // Sydney is UTC+11 in January: a UTC reading of its days would be a day off.
    const doctorId = await doctor({ timezone: 'Australia/Sydney', slotMinutes: 30, hours: everyDay('09:00', '17:00') });
    await db.owner.query("INSERT INTO clinic_holidays (day, name) VALUES ('2027-01-12', 'Discovery test holiday')");
    try {
      await db.owner.query("INSERT INTO schedule_overrides (doctor_id, day) VALUES ($1, '2027-01-16')", [doctorId]);
      // The whole of 14 January on the Sydney clock, as instants.
      await db.owner.query("INSERT INTO time_off (doctor_id, during) VALUES ($1, tstzrange('2027-01-13T13:00:00Z', '2027-01-14T13:00:00Z'))", [doctorId]);
      // 20 January 09:00 in Sydney is 19 January 22:00 UTC.
      assert.equal((await book(doctorId, '2027-01-19T22:00:00.000Z')).status, 201);

      const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/days?month=2027-01`);
      assert.equal(res.status, 200);
      assert.equal(res.body.doctor_id, doctorId);
      assert.equal(res.body.month, '2027-01');
      assert.equal(res.body.timezone, 'Australia/Sydney');
      assert.equal(res.body.appointment_type_id, await defaultTypeOf(doctorId));
      const expected = datesOf('2027-01')
        .filter((d) => !['2027-01-12', '2027-01-14', '2027-01-16'].includes(d))
        .map((date) => ({ date, free_slots: date === '2027-01-20' ? 15 : 16 }));
      assert.deepEqual(res.body.days, expected);
    } finally {
      await db.owner.query("DELETE FROM clinic_holidays WHERE day = '2027-01-12'");
    }
  });

  test("counts the type's slots, and the daylight-saving day's skipped hour is no slot", async () => {
    const doctorId = await doctor({ timezone: 'Europe/Berlin', slotMinutes: 60, hours: everyDay('01:00', '04:00') });
    const long = await addType(doctorId, 'Long', 90);
    const march = await days(doctorId, 'month=2027-03');
    assert.equal(march.find((d) => d.date === '2027-03-27')?.free_slots, 3);
    assert.equal(march.find((d) => d.date === '2027-03-28')?.free_slots, 2, '02:00 does not exist on 28 March 2027 in Berlin');
    assert.equal(march.length, 31);
    const longDays = await days(doctorId, `month=2027-03&appointment_type_id=${long}`);
    assert.equal(longDays.find((d) => d.date === '2027-03-27')?.free_slots, 2, '01:00 and 02:30');
  });

  test('only days ahead within the rules: a past month is empty, the horizon ends the listing', async () => {
    const doctorId = await doctor({ slotMinutes: 30 });
    assert.deepEqual(await days(doctorId, 'month=2026-01'), []);
    await db.owner.query('INSERT INTO doctor_booking_rules (doctor_id, horizon_days) VALUES ($1, 3)', [doctorId]);
    const listed = await days(doctorId, `month=${futureDate(2).slice(0, 7)}`);
    const next = await days(doctorId, `month=${futureDate(40).slice(0, 7)}`);
    assert.ok([...listed, ...next].every((d) => d.date <= futureDate(3)), 'nothing past the doctor horizon of 3 days');
    assert.ok(listed.length + next.length >= 2);
  });

  test('404 for an unknown or inactive doctor, or a type that is not theirs or not active; 400 for a malformed month', async () => {
    const doctorId = await doctor({});
    const other = await doctor({});
    const inactiveType = await addType(doctorId, 'Retired', 30, false);
    const notFound = [
      `/api/doctors/2147483647/days?month=2027-01`,
      `/api/doctors/${doctorId}/days?month=2027-01&appointment_type_id=${await defaultTypeOf(other)}`,
      `/api/doctors/${doctorId}/days?month=2027-01&appointment_type_id=${inactiveType}`,
    ];
    await db.owner.query('UPDATE doctors SET active = false WHERE id = $1', [other]);
    notFound.push(`/api/doctors/${other}/days?month=2027-01`);
    for (const path of notFound) {
      const res = await call(app.url, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error, 'not_found');
    }
    const bad: Array<[string, string]> = [
      [`/api/doctors/${doctorId}/days?month=2027-13`, 'month'],
      [`/api/doctors/${doctorId}/days?month=2027-1`, 'month'],
      [`/api/doctors/${doctorId}/days?month=2027-01-01`, 'month'],
      [`/api/doctors/${doctorId}/days?month=1969-12`, 'month'],
      [`/api/doctors/${doctorId}/days`, 'month'],
      [`/api/doctors/${doctorId}/days?month=2027-01&appointment_type_id=x`, 'appointment_type_id'],
      [`/api/doctors/${doctorId}/days?month=2027-01&day=1`, 'day'],
      [`/api/doctors/99999999999/days?month=2027-01`, ''],
    ];
    for (const [path, field] of bad) {
      const res = await call(app.url, 'GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(res.body.issues[0].path, field, path);
    }
  });

  test('an ETag and 304, like the slots', async () => {
    const doctorId = await doctor({});
    const path = `/api/doctors/${doctorId}/days?month=${futureDate(10).slice(0, 7)}`;
    const first = await call(app.url, 'GET', path);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'public, max-age=5, stale-while-revalidate=25');
    const again = await call(app.url, 'GET', path, { headers: { 'If-None-Match': `W/${first.headers.get('etag')}` } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), first.headers.get('etag'));
  });
});

describe('GET /api/doctors', () => {
  test('lists only active doctors, each with their active types, the default first, then by name', async () => {
    const listed = await doctor({ name: 'Dr Typed', slotMinutes: 20 });
    const zeta = await addType(listed, 'Zeta check', 40);
    const followUp = await addType(listed, 'Follow-up', 10);
    await addType(listed, 'Aaa retired', 30, false);
    const hidden = await doctor({ name: 'Dr Away' });
    await db.owner.query('UPDATE doctors SET active = false WHERE id = $1', [hidden]);
    const res = await call(app.url, 'GET', '/api/doctors');
    assert.equal(res.status, 200);
    const ids = res.body.items.map((d: { id: number }) => d.id);
    assert.ok(!ids.includes(hidden), 'an inactive doctor is not listed');
    const typed = res.body.items.find((d: { id: number }) => d.id === listed);
    assert.deepEqual(typed.appointment_types, [
      { id: await defaultTypeOf(listed), name: 'Appointment', minutes: 20, is_default: true },
      { id: followUp, name: 'Follow-up', minutes: 10, is_default: false },
      { id: zeta, name: 'Zeta check', minutes: 40, is_default: false },
    ]);
  });
});

describe('bookable_slots (migration 022)', () => {
  test('offers exactly what slots.sql calls available: schedule_slots, slot_within_rules and no overlap, either side of the notice and horizon', async () => {
    const doctorId = await doctor({ timezone: 'America/New_York', slotMinutes: 30, hours: everyDay('08:00', '12:00') });
    const hour = await addType(doctorId, 'Hour', 60);
    await db.owner.query('INSERT INTO doctor_booking_rules (doctor_id, min_notice_minutes, horizon_days) VALUES ($1, 95, 4)', [doctorId]);
    // Two booked half hours, on the grid of the default type and across the hour type's slots.
    for (const start of ['2027-01-11T14:00:00Z', '2027-01-12T15:30:00Z']) {
      await db.owner.query(
        "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256(convert_to($2::text, 'UTF8')), 'x', $1, $2::text::timestamptz, $2::text::timestamptz + interval '30 minutes')",
        [doctorId, start],
      );
    }
    const reference = `
      SELECT s.slot_start FROM generate_series($2::date, $3::date, interval '1 day') AS day
      CROSS JOIN LATERAL schedule_slots($1, day::date, $4) s
      WHERE slot_within_rules($1, s.slot_start, 180, $5::timestamptz)
        AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.doctor_id = $1 AND a.status = 'booked'
                        AND tstzrange(a.appointment_time, a.end_time) && tstzrange(s.slot_start, s.slot_end))
      ORDER BY 1`;
    // Moments on, just before and just after a slot's notice bound, and one beside midnight in New York.
    const moments = ['2027-01-10T13:00:00Z', '2027-01-10T12:25:00Z', '2027-01-10T12:24:59Z', '2027-01-10T12:25:01Z', '2027-01-11T04:59:00Z'];
    let compared = 0;
    for (const now of moments) {
      for (const typeId of [null, hour]) {
        const expected = (await db.owner.query(reference, [doctorId, '2027-01-08', '2027-01-17', typeId, now])).rows.map((r) => r.slot_start.toISOString());
        const got = (await db.owner.query('SELECT slot_start FROM bookable_slots($1, $2, $3, $4, 180, $5) ORDER BY 1', [doctorId, '2027-01-08', '2027-01-17', typeId, now])).rows.map((r) => r.slot_start.toISOString());
        assert.deepEqual(got, expected, `now ${now}, type ${typeId}`);
        const firstThree = (await db.owner.query('SELECT slot_start FROM bookable_slots($1, $2, $3, $4, 180, $5, 3)', [doctorId, '2027-01-08', '2027-01-17', typeId, now])).rows.map((r) => r.slot_start.toISOString());
        assert.deepEqual(firstThree, expected.slice(0, 3), 'the first three, in order');
        compared += expected.length;
      }
    }
    assert.ok(compared > 100, 'the comparison saw slots');
  });
});
