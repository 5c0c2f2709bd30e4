import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { seedIfEmpty } from '../../scripts/migrate';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from '../identity/issuer';

// The booking rules of db/migrations/013 and 025 as a patient's cancel and reschedule meet them,
// by direct API calls (a rule only the widget keeps is no rule), and the demo clinic's schedule.

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let rulesAfterMigration: Record<string, number | null>;
const auth: Record<string, Record<string, string>> = {};

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  rulesAfterMigration = (await db.owner.query('SELECT min_notice_minutes, horizon_days, cancel_cutoff_minutes, reschedule_cutoff_minutes FROM booking_rules')).rows[0];
  // Limits off: this file tries more references a minute from one address than a patient would.
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, BOOKING_LIMITS: 'off', LOG_LEVEL: 'error' });
  const bearer = async (claims: Record<string, unknown>) => ({ Authorization: `Bearer ${await issuer.token(claims)}` });
  auth.reception = await bearer({ sub: 'u-reception', name: 'Rita Reception', roles: ['reception'] });
  auth.clinician = await bearer({ sub: 'u-clinician', name: 'Dr Rules', roles: ['clinician'], doctor_id: 1 });
});
after(async () => {
  await app?.close();
  await issuer?.close();
  await db?.drop();
});

interface Rules {
  min_notice_minutes?: number;
  horizon_days?: number | null;
  cancel_cutoff_minutes?: number;
  reschedule_cutoff_minutes?: number;
}

/** The clinic's rules as migration 025 leaves them, with `rules` over them. */
async function clinicRules(rules: Rules = {}): Promise<void> {
  const r = { min_notice_minutes: 0, horizon_days: null, cancel_cutoff_minutes: 120, reschedule_cutoff_minutes: 120, ...rules };
  await db.owner.query('UPDATE booking_rules SET min_notice_minutes = $1, horizon_days = $2, cancel_cutoff_minutes = $3, reschedule_cutoff_minutes = $4', [
    r.min_notice_minutes, r.horizon_days, r.cancel_cutoff_minutes, r.reschedule_cutoff_minutes,
  ]);
}
beforeEach(() => clinicRules());

const everyDay = (...ranges: Array<[string, string]>) => [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));

async function typeOf(doctorId: number, name: string | null = null): Promise<number> {
  const { rows } = await db.owner.query('SELECT id FROM appointment_types WHERE doctor_id = $1 AND (name = $2 OR ($2 IS NULL AND is_default))', [doctorId, name]);
  return rows[0].id;
}

async function addType(doctorId: number, name: string, minutes: number): Promise<number> {
  const { rows } = await db.owner.query('INSERT INTO appointment_types (doctor_id, name, minutes) VALUES ($1, $2, $3) RETURNING id', [doctorId, name, minutes]);
  return rows[0].id;
}

interface Booked {
  id: string;
  reference: string;
}

/**
 * A booked appointment put straight into the table, so it can start inside a cutoff (no
 * booking would be allowed there once notice rules apply) and at an exact instant.
 */
async function appointmentAt(doctorId: number, start: Date | string, minutes = 30, typeId?: number): Promise<Booked> {
  const reference = randomBytes(16).toString('base64url');
  const begins = new Date(start);
  const { rows } = await db.owner.query(
    `INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time, appointment_type_id)
     VALUES ($1, 'Rule Tester', $2, $3, $4, $5) RETURNING id`,
    [createHash('sha256').update(reference).digest(), doctorId, begins, new Date(begins.getTime() + minutes * 60_000), typeId ?? (await typeOf(doctorId))],
  );
  return { id: String(rows[0].id), reference };
}

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

const cancel = (a: Booked, headers?: Record<string, string>) => call(app.url, 'DELETE', `/api/appointments/${a.reference}`, { headers });
const cancelWithReason = (a: Booked) => call(app.url, 'POST', `/api/appointments/${a.reference}/cancel`, { body: { reason: 'Cannot come' } });
const reschedule = (a: Booked, time: string, headers?: Record<string, string>) =>
  call(app.url, 'POST', `/api/appointments/${a.reference}/reschedule`, { body: { appointment_time: time }, headers });

async function stored(a: Booked): Promise<{ status: string; start: string; end: string; type: number; revision: number }> {
  const { rows } = await db.owner.query(
    'SELECT status, utc_iso(appointment_time) AS start, utc_iso(end_time) AS end, appointment_type_id AS type, revision FROM appointments WHERE id = $1',
    [a.id],
  );
  return rows[0];
}

async function eventsOf(a: Booked): Promise<string[]> {
  const { rows } = await db.owner.query('SELECT type FROM outbox WHERE subject = $1 ORDER BY id', [`appointments/${a.id}`]);
  return rows.map((r) => r.type);
}

function assertRefused(res: { status: number; body: any }, message: RegExp, what: string): void {
  assert.equal(res.status, 422, `${what}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error, 'not_bookable', what);
  assert.match(res.body.message, message, what);
}

describe('the cutoffs come from the booking rules', () => {
  test('migration 025 gave the clinic the 2 hours RESCHEDULE_CUTOFF_HOURS used to default to', () => {
    assert.deepEqual(rulesAfterMigration, { min_notice_minutes: 0, horizon_days: null, cancel_cutoff_minutes: 120, reschedule_cutoff_minutes: 120 });
  });

  test('a patient cannot cancel inside the clinic cutoff and can outside it; the refusal names the rule and changes nothing', async () => {
    await clinicRules({ cancel_cutoff_minutes: 180 });
    const doctorId = await addDoctor(db, { name: 'Dr Cutoff' });
    const inside = await appointmentAt(doctorId, inMinutes(150));
    const outside = await appointmentAt(doctorId, inMinutes(210));

    assertRefused(await cancel(inside), /cancelled online until 3 hours before they start/, 'DELETE inside');
    assertRefused(await cancelWithReason(inside), /3 hours before/, 'POST .../cancel inside');
    assert.equal((await stored(inside)).status, 'booked');
    assert.deepEqual(await eventsOf(inside), [], 'a refusal queues no event');

    const done = await cancel(outside);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'cancelled');
    assert.deepEqual(await eventsOf(outside), ['health.booking.appointment.cancelled.v1']);
  });

  test('a patient cannot move inside the reschedule cutoff and can outside it; the two cutoffs are separate rules', async () => {
    await clinicRules({ cancel_cutoff_minutes: 0, reschedule_cutoff_minutes: 120 });
    const doctorId = await addDoctor(db, { name: 'Dr Mover', hours: everyDay(['09:00', '17:00']) });
    const soon = await appointmentAt(doctorId, inMinutes(60));
    const target = at(futureDate(4), '11:00');

    assertRefused(await reschedule(soon, target), /moved online until 2 hours before they start/, 'move inside');
    const before = await stored(soon);
    assert.equal(before.revision, 0, 'not moved');
    assert.deepEqual(await eventsOf(soon), []);
    assert.equal((await cancel(soon)).status, 200, 'a cancel cutoff of 0 still lets the patient cancel');

    const later = await appointmentAt(doctorId, at(futureDate(3), '10:00'));
    const moved = await reschedule(later, target);
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.appointment_time, target);
  });

  test("a doctor's own cutoff beats the clinic's, shorter or longer; a NULL override takes the clinic's", async () => {
    await clinicRules({ cancel_cutoff_minutes: 180, reschedule_cutoff_minutes: 180 });
    const shorter = await addDoctor(db, { name: 'Dr Lenient', hours: everyDay(['09:00', '17:00']) });
    const longer = await addDoctor(db, { name: 'Dr Strict', hours: everyDay(['09:00', '17:00']) });
    const unset = await addDoctor(db, { name: 'Dr Default', hours: everyDay(['09:00', '17:00']) });
    await db.owner.query(
      'INSERT INTO doctor_booking_rules (doctor_id, cancel_cutoff_minutes, reschedule_cutoff_minutes) VALUES ($1, 30, 30), ($2, 600, 600), ($3, NULL, NULL)',
      [shorter, longer, unset],
    );

    assert.equal((await cancel(await appointmentAt(shorter, inMinutes(90)))).status, 200, '90 minutes ahead is outside its own 30');
    const movable = await reschedule(await appointmentAt(shorter, inMinutes(130)), at(futureDate(4), '10:00'));
    assert.equal(movable.status, 200, movable.text);

    assertRefused(await cancel(await appointmentAt(longer, inMinutes(300))), /10 hours before/, 'cancel inside its own 10 hours');
    assertRefused(await reschedule(await appointmentAt(longer, inMinutes(340)), at(futureDate(4), '10:00')), /moved online until 10 hours/, 'move inside its own 10 hours');

    assertRefused(await cancel(await appointmentAt(unset, inMinutes(150))), /3 hours before/, "NULL: the clinic's 3 hours");
  });

  test('signed-in reception may cancel and move inside the cutoff; a clinician may not, and a bad token changes nothing', async () => {
    const doctorId = await addDoctor(db, { name: 'Dr Desk Rules', hours: everyDay(['09:00', '17:00']) });
    const first = await appointmentAt(doctorId, inMinutes(30));
    const second = await appointmentAt(doctorId, inMinutes(70));
    const third = await appointmentAt(doctorId, inMinutes(110));
    const target = at(futureDate(5), '10:00');

    const cancelled = await cancel(first, auth.reception);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, 'cancelled');
    const moved = await reschedule(second, target, auth.reception);
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.appointment_time, target);

    const unchanged = await stored(third);
    assert.equal((await cancel(third, auth.clinician)).status, 403);
    assert.equal((await reschedule(third, at(futureDate(5), '11:00'), auth.clinician)).status, 403);
    assert.equal((await cancel(third, { Authorization: 'Bearer nope' })).status, 401);
    assert.equal((await reschedule(third, at(futureDate(5), '11:00'), { Authorization: 'Bearer nope' })).status, 401);
    assert.deepEqual(await stored(third), unchanged);
    assert.deepEqual(await eventsOf(third), []);
  });
});

describe('a move honours the schedule', () => {
  test("it keeps its type and that type's length, on that type's grid", async () => {
    const doctorId = await addDoctor(db, { name: 'Dr Types', slotMinutes: 30, hours: everyDay(['09:00', '17:00']) });
    const long = await addType(doctorId, 'Long consultation', 60);
    const [day, next] = [futureDate(5), futureDate(6)];
    const longVisit = await appointmentAt(doctorId, at(day, '09:00'), 60, long);
    const shortVisit = await appointmentAt(doctorId, at(day, '12:00'), 30);

    const moved = await reschedule(longVisit, at(next, '10:00'));
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.appointment_time, at(next, '10:00'));
    assert.equal(moved.body.end_time, at(next, '11:00'), 'still 60 minutes');
    assert.equal((await stored(longVisit)).type, long, 'still its type');

    // 12:30 is on the default type's 30-minute grid, not on the 60-minute one (09:00, 10:00, ...).
    assertRefused(await reschedule(longVisit, at(next, '12:30')), /not one of the doctor's slots/, 'off its own grid');
    const short = await reschedule(shortVisit, at(next, '12:30'));
    assert.equal(short.status, 200, `the default type may move there: ${short.text}`);
    assert.equal(short.body.end_time, at(next, '13:00'));

    // 10:30 is a free 30-minute slot of the grid, but the moved 60 minutes hold it.
    const clash = await reschedule(shortVisit, at(next, '10:30'));
    assert.equal(clash.status, 409, clash.text);
    assert.equal(clash.body.error, 'slot_taken');
    assert.equal((await stored(longVisit)).end, at(next, '11:00'));
  });

  test('it refuses a holiday, time off, too little notice, past the horizon, and a time a break splits, naming the rule and changing nothing', async () => {
    const doctorId = await addDoctor(db, { name: 'Dr Rules', slotMinutes: 30, hours: everyDay(['09:00', '12:30'], ['13:30', '17:00']) });
    const long = await addType(doctorId, 'Long consultation', 60);
    const visit = await appointmentAt(doctorId, at(futureDate(5), '09:00'), 60, long);
    const original = await stored(visit);

    const holiday = futureDate(8);
    await db.owner.query("INSERT INTO clinic_holidays (day, name) VALUES ($1, 'Founders Day')", [holiday]);
    assertRefused(await reschedule(visit, at(holiday, '10:00')), new RegExp(`closed on ${holiday} \\(Founders Day\\)`), 'holiday');

    const away = futureDate(9);
    await db.owner.query("INSERT INTO time_off (doctor_id, during, reason) VALUES ($1, tstzrange($2::timestamptz, $3::timestamptz), 'Course')", [doctorId, at(away, '00:00'), at(futureDate(10), '00:00')]);
    assertRefused(await reschedule(visit, at(away, '10:00')), /away at that time/, 'time off');

    await clinicRules({ min_notice_minutes: 2880 });
    assertRefused(await reschedule(visit, at(futureDate(1), '13:30')), /at least 2 days notice/, 'minimum notice');
    await clinicRules({ horizon_days: 10 });
    assertRefused(await reschedule(visit, at(futureDate(20), '10:00')), /more than 10 days ahead/, 'horizon');
    await clinicRules();

    // 60 minutes from 12:00 would run into the 12:30-13:30 break; 13:30 starts the afternoon.
    const day = futureDate(6);
    assertRefused(await reschedule(visit, at(day, '12:00')), /split by a break/, 'a break splits it');
    assert.deepEqual(await stored(visit), original, 'every refusal left it where it was');
    assert.deepEqual(await eventsOf(visit), []);

    const moved = await reschedule(visit, at(day, '13:30'));
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.end_time, at(day, '14:30'));
  });
});

describe('the demo clinic', () => {
  test('seeded as npm start seeds it: appointment types, holidays and time off still to come, the lunch break and the booking rules', async () => {
    const fresh = await createTestDatabase();
    try {
      assert.equal(await seedIfEmpty(fresh.ownerUrl), true);
      const q = async (text: string, params: unknown[] = []) => (await fresh.owner.query(text, params)).rows;

      const [hart] = await q("SELECT id, timezone FROM doctors WHERE name = 'Dr Amelia Hart'");
      assert.equal(hart.id, 1, 'the dev clinician account maps to doctor 1');

      const gps = await q(
        `SELECT d.name, array_agg(t.name || ' ' || t.minutes || CASE WHEN t.is_default THEN ' default' ELSE '' END ORDER BY t.name) AS types
         FROM doctors d JOIN appointment_types t ON t.doctor_id = d.id AND t.active WHERE d.specialty = 'General practice' GROUP BY d.name ORDER BY d.name`,
      );
      assert.equal(gps.length, 3);
      for (const gp of gps) assert.deepEqual(gp.types, ['Follow-up 15 default', 'New patient 30'], gp.name);
      const [fewest] = await q('SELECT min(n)::int AS n FROM (SELECT count(*) AS n FROM doctors d JOIN appointment_types t ON t.doctor_id = d.id AND t.active GROUP BY d.id) x');
      assert.equal(fewest.n, 2, 'every doctor has a second type');

      const [{ today }] = await q('SELECT current_date::text AS today');
      const year = Number(today.slice(0, 4));
      const next = (mmdd: string) => (`${year}-${mmdd}` >= today ? `${year}-${mmdd}` : `${year + 1}-${mmdd}`);
      const holidays = await q('SELECT day::text AS day, name FROM clinic_holidays ORDER BY day');
      const expected = [
        { day: next('12-25'), name: 'Christmas Day' },
        { day: next('12-26'), name: 'Boxing Day' },
        { day: next('01-01'), name: "New Year's Day" },
      ].sort((a, b) => a.day.localeCompare(b.day));
      assert.deepEqual(holidays, expected);
      assert.ok(holidays.some((h) => h.day > today), 'a holiday in the future');
      assert.deepEqual(await q('SELECT * FROM schedule_slots(1, $1::date, NULL)', [next('12-25')]), [], 'closed on Christmas Day');

      const [away] = await q(
        `SELECT (lower(x.during) AT TIME ZONE d.timezone)::text AS starts, (upper(x.during) AT TIME ZONE d.timezone)::text AS ends,
                upper(x.during) > now() AS future, (date_trunc('week', current_date)::date + 9)::text AS wednesday, d.id AS doctor_id
         FROM time_off x JOIN doctors d ON d.id = x.doctor_id WHERE d.name = 'Dr Oliver Grant'`,
      );
      assert.ok(away, 'Dr Oliver Grant has time off');
      assert.equal(away.future, true, 'time off in the future');
      assert.equal(away.starts, `${away.wednesday} 00:00:00`, "from next week's Wednesday, on his wall clock");
      const ends = new Date(Date.parse(`${away.wednesday}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
      assert.equal(away.ends, `${ends} 00:00:00`, 'for three days');
      assert.deepEqual(await q('SELECT * FROM schedule_slots($1, $2::date, NULL)', [away.doctor_id, away.wednesday]), [], 'no slots while away');

      const hours = await q(
        "SELECT DISTINCT array_agg(starts_at::text || '-' || ends_at::text ORDER BY starts_at) AS ranges FROM working_hours WHERE weekday BETWEEN 1 AND 5 GROUP BY doctor_id, weekday",
      );
      assert.deepEqual(hours, [{ ranges: ['09:00:00-12:30:00', '13:30:00-17:00:00'] }], 'every weekday of every doctor has the lunch break');
      const [{ day: workday }] = await q(
        "SELECT d::date::text AS day FROM generate_series(current_date + 1, current_date + 14, interval '1 day') d WHERE extract(isodow FROM d) = 2 AND d::date NOT IN (SELECT day FROM clinic_holidays) LIMIT 1",
      );
      const walls = (await q("SELECT to_char(slot_start AT TIME ZONE 'Europe/London', 'HH24:MI') AS wall FROM schedule_slots(1, $1::date, NULL) ORDER BY slot_start", [workday])).map((r) => r.wall);
      assert.ok(walls.includes('12:15') && walls.includes('13:30'), `slots either side of lunch: ${walls.join(' ')}`);
      assert.ok(!walls.some((w) => w >= '12:30' && w < '13:30'), 'none over lunch');

      assert.deepEqual((await q('SELECT min_notice_minutes, horizon_days, cancel_cutoff_minutes, reschedule_cutoff_minutes FROM booking_rules'))[0], {
        min_notice_minutes: 60, horizon_days: 60, cancel_cutoff_minutes: 120, reschedule_cutoff_minutes: 120,
      });
    } finally {
      await fresh.drop();
    }
  });
});
