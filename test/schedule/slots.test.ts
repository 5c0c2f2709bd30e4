import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

// The schedule of db/migrations/013 as the database computes it (schedule_slots, the rules)
// and as the public API applies it to slots and bookings, called directly: a rule the widget
// respects but the API does not is no rule.

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

interface Slot {
  start: string;
  end: string;
}

/** schedule_slots straight from SQL, as UTC ISO strings. */
async function slotsOf(doctorId: number, day: string, typeId: number | null = null): Promise<Slot[]> {
  const { rows } = await db.owner.query(
    'SELECT utc_iso(slot_start) AS start, utc_iso(slot_end) AS end FROM schedule_slots($1, $2::date, $3) ORDER BY slot_start',
    [doctorId, day, typeId],
  );
  return rows;
}

async function addType(doctorId: number, name: string, minutes: number): Promise<number> {
  const { rows } = await db.owner.query('INSERT INTO appointment_types (doctor_id, name, minutes) VALUES ($1, $2, $3) RETURNING id', [doctorId, name, minutes]);
  return rows[0].id;
}

/** The wall-clock HH:MM of an instant in a zone. */
function wall(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

const minutesOf = (s: Slot) => (Date.parse(s.end) - Date.parse(s.start)) / 60_000;

function assertNoOverlap(slots: Slot[]): void {
  for (let i = 1; i < slots.length; i++) assert.ok(slots[i].start >= slots[i - 1].end, `${slots[i - 1].start}..${slots[i - 1].end} overlaps ${slots[i].start}`);
}

const book = (body: Record<string, unknown>) => call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Schedule Test', ...body } });

describe('daylight saving: the wall clock of the doctor, four zones', () => {
  // Hours 00:00-06:00 with 30-minute slots: twelve wall-clock times a day.
  const zones = [
    { zone: 'America/New_York', spring: '2026-03-08', skipped: ['02:00', '02:30'], fall: '2026-11-01', repeated: '01:30' },
    { zone: 'Europe/London', spring: '2026-03-29', skipped: ['01:00', '01:30'], fall: '2026-10-25', repeated: '01:30' },
    { zone: 'Europe/Berlin', spring: '2026-03-29', skipped: ['02:00', '02:30'], fall: '2026-10-25', repeated: '02:30' },
    { zone: 'Australia/Sydney', spring: '2026-10-04', skipped: ['02:00', '02:30'], fall: '2026-04-05', repeated: '02:30' },
  ];
  for (const z of zones) {
    test(`${z.zone}: spring forward skips ${z.skipped.join(' and ')}; fall back offers ${z.repeated} once`, async () => {
      const doctorId = await addDoctor(db, { timezone: z.zone, slotMinutes: 30, hours: everyDay('00:00', '06:00') });

      const spring = await slotsOf(doctorId, z.spring);
      const springWalls = spring.map((s) => wall(s.start, z.zone));
      for (const skipped of z.skipped) assert.ok(!springWalls.includes(skipped), `${skipped} does not exist on ${z.spring}`);
      assert.equal(spring.length, 10, 'twelve wall-clock times less the two the clocks skip');
      assert.ok(spring.every((s) => minutesOf(s) === 30), 'each slot is 30 minutes of elapsed time');
      assertNoOverlap(spring);
      assert.equal(wall(spring[0].start, z.zone), '00:00');

      const fall = await slotsOf(doctorId, z.fall);
      const fallWalls = fall.map((s) => wall(s.start, z.zone));
      assert.equal(fallWalls.filter((w) => w === z.repeated).length, 1, `${z.repeated} happens twice on ${z.fall}, and is offered once`);
      assert.equal(new Set(fall.map((s) => s.start)).size, fall.length, 'no instant twice');
      assert.equal(fall.length, 12, 'each wall-clock time once');
      assert.ok(fall.every((s) => minutesOf(s) === 30));
      assertNoOverlap(fall);

      // An ordinary day has all twelve.
      const ordinary = await slotsOf(doctorId, new Date(Date.parse(z.spring) - 7 * 86_400_000).toISOString().slice(0, 10));
      assert.equal(ordinary.length, 12);
    });
  }

  test('a booking of the repeated hour lands on the instant the listing offers, and only that one', async () => {
    const doctorId = await addDoctor(db, { timezone: 'America/New_York', slotMinutes: 30, hours: everyDay('00:00', '06:00') });
    const offered = (await slotsOf(doctorId, '2026-11-01')).find((s) => wall(s.start, 'America/New_York') === '01:30')!;
    // The other 01:30 (an hour apart from the offered one) is on no slot grid.
    const { rows } = await db.owner.query(
      `SELECT count(*)::int AS n FROM schedule_slots($1, '2026-11-01', NULL) WHERE slot_start IN ($2::timestamptz, $2::timestamptz + interval '1 hour', $2::timestamptz - interval '1 hour')`,
      [doctorId, offered.start],
    );
    assert.equal(rows[0].n, 2, 'the offered 01:30 and one neighbour an hour away, never the same wall time twice');
  });
});

describe('booking rules', () => {
  test('minimum notice is elapsed time across a DST change (slot_within_rules at a moment beside the change)', async () => {
    const doctorId = await addDoctor(db, { timezone: 'Europe/Berlin', slotMinutes: 60, hours: everyDay('08:00', '18:00') });
    await db.owner.query('INSERT INTO doctor_booking_rules (doctor_id, min_notice_minutes) VALUES ($1, 1440)', [doctorId]);
    // Saturday 10:00 CET; the clocks go forward that night, so Sunday 10:00 CEST is 23 hours later.
    const now = '2026-03-28T09:00:00Z';
    const allowed = async (start: string) =>
      (await db.owner.query('SELECT slot_within_rules($1, $2::timestamptz, 180, $3::timestamptz) AS ok', [doctorId, start, now])).rows[0].ok;
    assert.equal(await allowed('2026-03-29T08:00:00Z'), false, 'Sunday 10:00 CEST is 23 h away: inside 24 h of notice');
    assert.equal(await allowed('2026-03-29T09:00:00Z'), true, 'Sunday 11:00 CEST is 24 h away');
    // In autumn the clocks go back: from Saturday 10:00 CEST, Sunday 09:00 CET is already 24 hours.
    const autumn = '2026-10-24T08:00:00Z';
    const allowedAutumn = async (start: string) =>
      (await db.owner.query('SELECT slot_within_rules($1, $2::timestamptz, 180, $3::timestamptz) AS ok', [doctorId, start, autumn])).rows[0].ok;
    assert.equal(await allowedAutumn('2026-10-25T07:00:00Z'), false, 'Sunday 08:00 CET is 23 h away');
    assert.equal(await allowedAutumn('2026-10-25T08:00:00Z'), true, 'Sunday 09:00 CET is 24 h away, though the wall clock shows 23');
  });

  test('minimum notice through the API: the listing marks the slot unavailable and a direct booking is 422 naming the rule', async () => {
    const doctorId = await addDoctor(db, { timezone: 'UTC', slotMinutes: 15, hours: everyDay('00:00', '24:00') });
    await db.owner.query('INSERT INTO doctor_booking_rules (doctor_id, min_notice_minutes) VALUES ($1, 180)', [doctorId]);
    const days = [futureDate(0), futureDate(1)];
    const slots: Array<Slot & { available: boolean }> = [];
    for (const day of days) slots.push(...(await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`)).body.slots);
    const now = Date.now();
    const soon = slots.find((s) => Date.parse(s.start) > now + 30 * 60_000 && Date.parse(s.start) < now + 150 * 60_000)!;
    const later = slots.find((s) => Date.parse(s.start) > now + 200 * 60_000)!;
    assert.equal(soon.available, false, 'inside the notice: listed, not available');
    assert.equal(later.available, true);
    const refused = await book({ doctor_id: doctorId, appointment_time: soon.start });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error, 'not_bookable');
    assert.match(refused.body.message, /at least 3 hours notice/);
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1', [doctorId]);
    assert.equal(rows[0].n, 0, 'nothing written');
    assert.equal((await book({ doctor_id: doctorId, appointment_time: later.start })).status, 201);
  });

  test("a doctor's horizon overrides the clinic's, and the clinic's overrides BOOKING_HORIZON_DAYS", async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 30 });
    const day = futureDate(5);
    const start = `${day}T10:00:00.000Z`;
    await db.owner.query('INSERT INTO doctor_booking_rules (doctor_id, horizon_days) VALUES ($1, 3)', [doctorId]);
    const refused = await book({ doctor_id: doctorId, appointment_time: start });
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /more than 3 days ahead/);
    const listed = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`);
    assert.ok(listed.body.slots.every((s: { available: boolean }) => !s.available));

    await db.owner.query('DELETE FROM doctor_booking_rules WHERE doctor_id = $1', [doctorId]);
    await db.owner.query('UPDATE booking_rules SET horizon_days = 4');
    try {
      assert.match((await book({ doctor_id: doctorId, appointment_time: start })).body.message, /more than 4 days ahead/);
    } finally {
      await db.owner.query('UPDATE booking_rules SET horizon_days = NULL');
    }
    assert.equal((await book({ doctor_id: doctorId, appointment_time: start })).status, 201, 'back to BOOKING_HORIZON_DAYS');
  });

  test('the database refuses a negative notice', async () => {
    await assert.rejects(db.owner.query('UPDATE booking_rules SET min_notice_minutes = -1'), { code: '23514' });
  });
});

describe('hours, breaks, overrides, time off and holidays', () => {
  test('the last slot of a day ends within the range, and a range may end at 24:00', async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 45, hours: [{ weekday: 1, start: '09:00', end: '17:00' }, { weekday: 2, start: '22:00', end: '24:00' }] });
    const monday = await slotsOf(doctorId, '2026-12-07');
    assert.deepEqual(monday.at(-1), { start: '2026-12-07T15:45:00.000Z', end: '2026-12-07T16:30:00.000Z' }, '16:30 would end at 17:15');
    const tuesday = await slotsOf(doctorId, '2026-12-08');
    assert.deepEqual(tuesday, [
      { start: '2026-12-08T22:00:00.000Z', end: '2026-12-08T22:45:00.000Z' },
      { start: '2026-12-08T22:45:00.000Z', end: '2026-12-08T23:30:00.000Z' },
    ]);
    const thirty = await addType(doctorId, 'Short', 30);
    const late = await slotsOf(doctorId, '2026-12-08', thirty);
    assert.deepEqual(late.at(-1), { start: '2026-12-08T23:30:00.000Z', end: '2026-12-09T00:00:00.000Z' }, 'the last slot ends at midnight, the next day');
  });

  test('a break splits a long type: no slot runs into it, and the afternoon grid starts at the end of the break', async () => {
    const doctorId = await addDoctor(db, { timezone: 'Europe/Paris', slotMinutes: 15, hours: [{ weekday: 3, start: '09:00', end: '12:00' }, { weekday: 3, start: '13:00', end: '17:00' }] });
    const long = await addType(doctorId, 'New patient', 50);
    const slots = await slotsOf(doctorId, '2026-12-09', long);
    const walls = slots.map((s) => `${wall(s.start, 'Europe/Paris')}-${wall(s.end, 'Europe/Paris')}`);
    assert.deepEqual(walls, ['09:00-09:50', '09:50-10:40', '10:40-11:30', '13:00-13:50', '13:50-14:40', '14:40-15:30', '15:30-16:20']);
  });

  test('a date override replaces the weekly hours, a closed override empties the day', async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 60, hours: everyDay('09:00', '12:00') });
    await db.owner.query("INSERT INTO schedule_overrides (doctor_id, day, starts_at, ends_at) VALUES ($1, '2026-12-10', '14:00', '16:00')", [doctorId]);
    await db.owner.query("INSERT INTO schedule_overrides (doctor_id, day) VALUES ($1, '2026-12-11')", [doctorId]);
    assert.deepEqual((await slotsOf(doctorId, '2026-12-10')).map((s) => s.start), ['2026-12-10T14:00:00.000Z', '2026-12-10T15:00:00.000Z']);
    assert.deepEqual(await slotsOf(doctorId, '2026-12-11'), []);
    assert.equal((await slotsOf(doctorId, '2026-12-12')).length, 3, 'the next day keeps its weekly hours');
    await assert.rejects(db.owner.query("INSERT INTO schedule_overrides (doctor_id, day) VALUES ($1, '2026-12-11')", [doctorId]), { code: '23505' });
  });

  test('a holiday closes the day for every doctor: no slots, and a direct booking is 422 naming it', async () => {
    const a = await addDoctor(db, { slotMinutes: 30 });
    const b = await addDoctor(db, { timezone: 'Asia/Tokyo', slotMinutes: 30 });
    const day = futureDate(9);
    const before = (await call(app.url, 'GET', `/api/doctors/${a}/slots?date=${day}`)).body.slots[0].start;
    await db.owner.query("INSERT INTO clinic_holidays (day, name) VALUES ($1, 'Founders Day')", [day]);
    try {
      assert.deepEqual((await call(app.url, 'GET', `/api/doctors/${a}/slots?date=${day}`)).body.slots, []);
      assert.deepEqual(await slotsOf(b, day), [], "the holiday is the date on each doctor's own calendar");
      const refused = await book({ doctor_id: a, appointment_time: before });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.message, `The clinic is closed on ${day} (Founders Day).`);
    } finally {
      await db.owner.query('DELETE FROM clinic_holidays WHERE day = $1', [day]);
    }
  });

  test('time off removes every slot it touches, and a direct booking inside it is 422', async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 30 });
    const day = futureDate(11);
    await db.owner.query('INSERT INTO time_off (doctor_id, during) VALUES ($1, tstzrange($2::timestamptz, $3::timestamptz))', [doctorId, `${day}T10:15:00Z`, `${day}T11:00:00Z`]);
    const starts = (await slotsOf(doctorId, day)).map((s) => s.start.slice(11, 16));
    assert.ok(starts.includes('09:30') && starts.includes('11:00'));
    assert.ok(!starts.includes('10:00') && !starts.includes('10:30'), '10:00-10:30 touches 10:15, 10:30-11:00 lies inside');
    const refused = await book({ doctor_id: doctorId, appointment_time: `${day}T10:30:00Z` });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.message, 'The doctor is away at that time.');
  });
});

describe('appointment types', () => {
  test("each doctor's slot_minutes is their default type, and follows a change of it", async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 20 });
    const types = async () => (await db.owner.query('SELECT name, minutes, is_default FROM appointment_types WHERE doctor_id = $1', [doctorId])).rows;
    assert.deepEqual(await types(), [{ name: 'Appointment', minutes: 20, is_default: true }]);
    await db.owner.query('UPDATE doctors SET slot_minutes = 25 WHERE id = $1', [doctorId]);
    assert.deepEqual(await types(), [{ name: 'Appointment', minutes: 25, is_default: true }]);
  });

  test('a booking names its type and lasts its length; the exclusion constraint still guards types of different lengths', async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 15 });
    const other = await addDoctor(db, { slotMinutes: 15 });
    const newPatient = await addType(doctorId, 'New patient', 30);
    const day = futureDate(6);
    const listed = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}&appointment_type_id=${newPatient}`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.appointment_type_id, newPatient);
    assert.equal(listed.body.slots.length, 16, '09:00-17:00 in 30-minute steps');

    const long = await book({ doctor_id: doctorId, appointment_time: `${day}T10:00:00Z`, appointment_type_id: newPatient });
    assert.equal(long.status, 201);
    assert.equal(long.body.end_time, `${day}T10:30:00.000Z`);
    const { rows } = await db.owner.query('SELECT appointment_type_id FROM appointments WHERE id = $1', [long.body.id]);
    assert.equal(rows[0].appointment_type_id, newPatient);

    // 10:15 is on the default (15-minute) grid but inside the 30-minute booking.
    const inside = await book({ doctor_id: doctorId, appointment_time: `${day}T10:15:00Z` });
    assert.equal(inside.status, 409);
    assert.equal(inside.body.error, 'slot_taken');
    const defaultSlots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`)).body.slots;
    assert.equal(defaultSlots.find((s: Slot) => s.start === `${day}T10:15:00.000Z`).available, false);
    const next = await book({ doctor_id: doctorId, appointment_time: `${day}T10:30:00Z`, appointment_type_id: null });
    assert.equal(next.status, 201);
    assert.equal(next.body.end_time, `${day}T10:45:00.000Z`, 'the default type');

    // The constraint itself, below the application: a 30-minute row over a 15-minute one.
    await assert.rejects(
      db.owner.query(
        "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256('x'::bytea), 'x', $1, $2::timestamptz, $2::timestamptz + interval '30 minutes')",
        [doctorId, `${day}T10:20:00Z`],
      ),
      { code: '23P01' },
    );

    const foreign = await book({ doctor_id: other, appointment_time: `${day}T11:00:00Z`, appointment_type_id: newPatient });
    assert.equal(foreign.status, 422);
    assert.equal(foreign.body.message, 'That appointment type is not one this doctor offers.');
    const notTheirs = await call(app.url, 'GET', `/api/doctors/${other}/slots?date=${day}&appointment_type_id=${newPatient}`);
    assert.equal(notTheirs.status, 404);
    const badType = await call(app.url, 'GET', `/api/doctors/${other}/slots?date=${day}&appointment_type_id=abc`);
    assert.equal(badType.status, 400);
    assert.equal(badType.body.issues[0].path, 'appointment_type_id');
  });

  test('a booking off the grid of its type is 422, though it is on the default grid', async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 15 });
    const newPatient = await addType(doctorId, 'New patient', 30);
    const refused = await book({ doctor_id: doctorId, appointment_time: `${futureDate(6)}T10:15:00Z`, appointment_type_id: newPatient });
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /not one of the doctor's slots/);
  });

  test('an inactive doctor has no slots and takes no bookings', async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 30 });
    await db.owner.query('UPDATE doctors SET active = false WHERE id = $1', [doctorId]);
    assert.deepEqual(await slotsOf(doctorId, futureDate(6)), []);
    const refused = await book({ doctor_id: doctorId, appointment_time: `${futureDate(6)}T10:00:00Z` });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.message, 'That doctor no longer takes bookings.');
  });
});

describe('slot caches hear of schedule changes', () => {
  test("a doctor's tables notify 'd:<id>', a holiday or the clinic's rules notify '*'", async () => {
    const doctorId = await addDoctor(db, { slotMinutes: 30 });
    const listener = new pg.Client({ connectionString: db.ownerUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN slots_changed');
    const expect = async (statement: string, params: unknown[], payload: string) => {
      heard.length = 0;
      await db.owner.query(statement, params);
      for (let i = 0; i < 50 && !heard.includes(payload); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(heard.includes(payload), `${statement} notified ${payload} (heard ${heard.join(', ') || 'nothing'})`);
    };
    try {
      await expect("INSERT INTO appointment_types (doctor_id, name, minutes) VALUES ($1, 'Long', 60)", [doctorId], `d:${doctorId}`);
      await expect("INSERT INTO schedule_overrides (doctor_id, day) VALUES ($1, '2027-01-04')", [doctorId], `d:${doctorId}`);
      await expect("INSERT INTO time_off (doctor_id, during) VALUES ($1, '[2027-01-05 00:00Z, 2027-01-06 00:00Z)')", [doctorId], `d:${doctorId}`);
      await expect('INSERT INTO doctor_booking_rules (doctor_id, min_notice_minutes) VALUES ($1, 60)', [doctorId], `d:${doctorId}`);
      await expect("INSERT INTO clinic_holidays (day, name) VALUES ('2027-01-07', 'Test')", [], '*');
      await expect('UPDATE booking_rules SET min_notice_minutes = 0', [], '*');
    } finally {
      await listener.end();
      await db.owner.query("DELETE FROM clinic_holidays WHERE day = '2027-01-07'");
    }
  });
});
