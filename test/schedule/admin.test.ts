import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startIssuer, type TestIssuer } from '../identity/issuer';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

// The admin schedule API (functions/admin-schedule, issue 11) against a real PostgreSQL and a
// real issuer: every endpoint, who may call it, what it refuses (and that a refusal writes
// nothing), the appointments a change leaves uncovered, and that the public slots follow.

const STAFF_TOKEN = 'admin-schedule-test-service-token-0123456789';
const PATIENT = 'Patient Orla Vantongeren';

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
const auth: Record<string, Record<string, string>> = {};

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  // No slot cache: each test reads the slots right after a change. No booking limits: the
  // race below books from one address far more often than a patient could.
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, STAFF_TOKEN, SLOT_CACHE_TTL_MS: '0', BOOKING_LIMITS: 'off' });
  const bearer = async (claims: Record<string, unknown>) => ({ Authorization: `Bearer ${await issuer.token(claims)}` });
  auth.admin = await bearer({ sub: 'u-admin', name: 'Ada Admin', roles: ['admin'] });
  auth.reception = await bearer({ sub: 'u-reception', name: 'Rita Reception', roles: ['reception'] });
  auth.clinician = await bearer({ sub: 'u-clinician', name: 'Dr Self', roles: ['clinician'], doctor_id: 1 });
  auth.service = { Authorization: `Bearer ${STAFF_TOKEN}` };
  auth.none = {};
});
after(async () => {
  await app?.close();
  await issuer?.close();
  await db?.drop();
});

const as = (role: string, method: string, path: string, body?: unknown) => call(app.url, method, path, { headers: auth[role], body });
const admin = (method: string, path: string, body?: unknown) => as('admin', method, path, body);

/** The ISO weekday (1 = Monday) of a YYYY-MM-DD date. */
const weekdayOf = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const everyDay = (starts_at: string, ends_at: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, starts_at, ends_at }));

/** Everything the admin API writes, as text: compared before and after a refused request. */
async function dump(): Promise<string> {
  const tables = ['doctors', 'appointment_types', 'working_hours', 'schedule_overrides', 'time_off', 'clinic_holidays', 'booking_rules', 'doctor_booking_rules', 'schedule_changes'];
  const parts: unknown[] = [];
  for (const table of tables) parts.push((await db.owner.query(`SELECT to_jsonb(x)::text AS row FROM ${table} x ORDER BY 1`)).rows.map((r) => r.row));
  parts.push((await db.owner.query('SELECT count(*)::int AS n FROM staff_audit')).rows[0].n);
  parts.push((await db.owner.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n);
  return JSON.stringify(parts);
}

async function slotStarts(doctorId: number, day: string, typeId?: number): Promise<string[]> {
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}${typeId ? `&appointment_type_id=${typeId}` : ''}`);
  assert.equal(res.status, 200, res.text);
  return res.body.slots.filter((s: { available: boolean }) => s.available).map((s: { start: string }) => s.start.slice(11, 16));
}

async function book(doctorId: number, start: string): Promise<{ status: number; id?: number }> {
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: PATIENT, doctor_id: doctorId, appointment_time: start } });
  return { status: res.status, id: res.status === 201 ? res.body.id : undefined };
}

async function newDoctor(name: string, hours = everyDay('09:00', '17:00')): Promise<number> {
  const created = await admin('POST', '/api/admin/doctors', { name, specialty: 'General practice', timezone: 'UTC' });
  assert.equal(created.status, 201, created.text);
  const id = created.body.doctor.id;
  assert.equal((await admin('PUT', `/api/admin/doctors/${id}/hours`, { hours })).status, 200);
  return id;
}

const lastAudit = async () => (await db.owner.query('SELECT actor_sub, actor_role, action, appointment_ids::text[] AS ids FROM staff_audit ORDER BY id DESC LIMIT 1')).rows[0];
const auditCount = async () => (await db.owner.query('SELECT count(*)::int AS n FROM staff_audit')).rows[0].n;
const lastEvent = async () => (await db.owner.query("SELECT type, subject, data FROM outbox WHERE type LIKE 'health.booking.schedule.%' ORDER BY id DESC LIMIT 1")).rows[0];

describe('every endpoint, for an admin', () => {
  const day = futureDate(10);
  const weekday = weekdayOf(day);
  let doctorId: number;
  let writes = 0;

  /** One write: its status, one audit row naming the admin, one schedule event with no patient data. */
  async function write(method: string, path: string, body: unknown, status: number, action: string, change: string, doctor: number | null | 'created') {
    const audits = await auditCount();
    const res = await admin(method, path, body);
    assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
    assert.equal(await auditCount(), audits + 1, `${method} ${path} writes one audit row`);
    const audit = await lastAudit();
    assert.deepEqual([audit.actor_sub, audit.actor_role, audit.action], ['u-admin', 'admin', `schedule.${action}`]);
    const id = doctor === 'created' ? res.body.doctor.id : doctor;
    const event = await lastEvent();
    assert.deepEqual(event, { type: 'health.booking.schedule.changed.v1', subject: id === null ? 'clinic' : `doctors/${id}`, data: { doctor_id: id, change } });
    writes++;
    return res.body;
  }

  test('doctors: create (with its default type), list, read, change, deactivate and reactivate', async () => {
    const created = await write('POST', '/api/admin/doctors', { name: 'Dr Aaron Admin', specialty: 'Cardiology', timezone: 'Europe/Berlin', slot_minutes: 20 }, 201, 'doctor_created', 'doctor', 'created');
    doctorId = created.doctor.id;
    assert.deepEqual(created.affected, []);
    assert.deepEqual(
      { ...created.doctor, appointment_types: created.doctor.appointment_types.map(({ id: _id, ...t }: { id: number }) => t) },
      {
        id: doctorId, name: 'Dr Aaron Admin', specialty: 'Cardiology', timezone: 'Europe/Berlin', slot_minutes: 20, active: true,
        appointment_types: [{ name: 'Appointment', minutes: 20, is_default: true, active: true }],
        hours: [], overrides: [], time_off: [],
        rules: { min_notice_minutes: null, horizon_days: null, cancel_cutoff_minutes: null, reschedule_cutoff_minutes: null },
      },
    );
    const listed = await admin('GET', '/api/admin/doctors');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items.find((d: { id: number }) => d.id === doctorId), created.doctor);
    const names = listed.body.items.map((d: { name: string }) => d.name);
    assert.deepEqual(names, [...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)), 'ordered by name');
    assert.deepEqual((await admin('GET', `/api/admin/doctors/${doctorId}`)).body, created.doctor);

    const changed = await write('PATCH', `/api/admin/doctors/${doctorId}`, { name: 'Dr Aaron Adminson', specialty: 'Cardiology', timezone: 'UTC' }, 200, 'doctor_updated', 'doctor', doctorId);
    assert.deepEqual([changed.doctor.name, changed.doctor.timezone], ['Dr Aaron Adminson', 'UTC']);
  });

  test('weekly hours with a break: replaced, and the slots follow', async () => {
    const body = await write('PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [...everyDay('13:00', '15:00'), ...everyDay('09:00', '10:00')] }, 200, 'hours_replaced', 'hours', doctorId);
    assert.deepEqual(body.doctor.hours.slice(0, 2), [{ weekday: 1, starts_at: '09:00', ends_at: '10:00' }, { weekday: 1, starts_at: '13:00', ends_at: '15:00' }], 'by weekday, then start');
    assert.deepEqual(await slotStarts(doctorId, day), ['09:00', '09:20', '09:40', '13:00', '13:20', '13:40', '14:00', '14:20', '14:40']);
    await write('PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [...everyDay('09:00', '12:00'), { weekday, starts_at: '22:00', ends_at: '24:00' }] }, 200, 'hours_replaced', 'hours', doctorId);
    const slots = await slotStarts(doctorId, day);
    assert.equal(slots.length, 9 + 6, '09:00-12:00 and 22:00-24:00 in 20 minutes');
    assert.equal(slots.at(-1), '23:40', '24:00 is the end of the day');
  });

  test('appointment types: add, make default (the other is un-defaulted), refuse to deactivate the default (422), deactivate another', async () => {
    const added = await write('POST', `/api/admin/doctors/${doctorId}/appointment-types`, { name: 'Long visit', minutes: 60 }, 201, 'type_created', 'appointment_types', doctorId);
    const long = added.doctor.appointment_types.find((t: { name: string }) => t.name === 'Long visit');
    assert.deepEqual({ ...long, id: 0 }, { id: 0, name: 'Long visit', minutes: 60, is_default: false, active: true });
    assert.deepEqual(await slotStarts(doctorId, day, long.id), ['09:00', '10:00', '11:00', '22:00', '23:00']);

    const made = await write('PATCH', `/api/admin/appointment-types/${long.id}`, { is_default: true }, 200, 'type_updated', 'appointment_types', doctorId);
    assert.deepEqual(made.doctor.appointment_types.map((t: { name: string; is_default: boolean }) => [t.name, t.is_default]), [['Long visit', true], ['Appointment', false]], 'default first');
    assert.equal(made.doctor.slot_minutes, 60, "slot_minutes stays the default type's length");
    assert.equal((await slotStarts(doctorId, day)).length, 5, 'the default slots are the new default type');

    const before = await dump();
    const refused = await admin('PATCH', `/api/admin/appointment-types/${long.id}`, { active: false });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error, 'not_bookable');
    assert.equal((await admin('PATCH', `/api/admin/appointment-types/${long.id}`, { is_default: false })).status, 422);
    assert.equal(await dump(), before, 'a refusal writes nothing');

    const short = made.doctor.appointment_types.find((t: { name: string }) => t.name === 'Appointment');
    await write('PATCH', `/api/admin/appointment-types/${short.id}`, { is_default: true, minutes: 30 }, 200, 'type_updated', 'appointment_types', doctorId);
    const off = await write('PATCH', `/api/admin/appointment-types/${long.id}`, { active: false, name: 'Long visit (old)' }, 200, 'type_updated', 'appointment_types', doctorId);
    assert.deepEqual(off.doctor.appointment_types.map((t: { name: string; is_default: boolean; active: boolean }) => [t.name, t.is_default, t.active]), [['Appointment', true, true], ['Long visit (old)', false, false]]);
    assert.equal(off.doctor.slot_minutes, 30);
    const gone = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}&appointment_type_id=${long.id}`, { contract: false });
    assert.ok(gone.status === 404 || gone.body.slots.length === 0, 'an inactive type has no slots');
  });

  test('a date override: other hours, closed, removed; the slots follow', async () => {
    const set = await write('PUT', `/api/admin/doctors/${doctorId}/overrides/${day}`, { ranges: [{ starts_at: '10:00', ends_at: '11:00' }] }, 200, 'override_set', 'overrides', doctorId);
    assert.deepEqual(set.doctor.overrides, [{ date: day, ranges: [{ starts_at: '10:00', ends_at: '11:00' }] }]);
    assert.deepEqual(await slotStarts(doctorId, day), ['10:00', '10:30']);
    const closed = await write('PUT', `/api/admin/doctors/${doctorId}/overrides/${day}`, { ranges: [] }, 200, 'override_set', 'overrides', doctorId);
    assert.deepEqual(closed.doctor.overrides, [{ date: day, ranges: [] }]);
    assert.deepEqual(await slotStarts(doctorId, day), []);
    const removed = await write('DELETE', `/api/admin/doctors/${doctorId}/overrides/${day}`, undefined, 200, 'override_removed', 'overrides', doctorId);
    assert.deepEqual([removed.doctor.overrides, removed.affected], [[], []]);
    assert.equal((await slotStarts(doctorId, day)).length, 6 + 4);
    assert.equal((await admin('DELETE', `/api/admin/doctors/${doctorId}/overrides/${day}`)).status, 404);
  });

  test('time off: added (no slot touching it), removed', async () => {
    const added = await write('POST', `/api/admin/doctors/${doctorId}/time-off`, { starts_at: `${day}T09:15:00+00:00`, ends_at: `${day}T10:00:00Z`, reason: 'Training' }, 201, 'time_off_added', 'time_off', doctorId);
    const [timeOff] = added.doctor.time_off;
    assert.deepEqual({ ...timeOff, id: 0 }, { id: 0, starts_at: `${day}T09:15:00.000Z`, ends_at: `${day}T10:00:00.000Z`, reason: 'Training' });
    assert.deepEqual((await slotStarts(doctorId, day)).slice(0, 2), ['10:00', '10:30'], '09:00 and 09:30 touch it');
    const removed = await write('DELETE', `/api/admin/time-off/${timeOff.id}`, undefined, 200, 'time_off_removed', 'time_off', doctorId);
    assert.deepEqual([removed.doctor.time_off, removed.affected], [[], []]);
    assert.equal((await slotStarts(doctorId, day))[0], '09:00');
    assert.equal((await admin('DELETE', `/api/admin/time-off/${timeOff.id}`)).status, 404);
  });

  test('holidays: added for every doctor, listed by date, refused twice, removed', async () => {
    const later = futureDate(40);
    await write('POST', '/api/admin/holidays', { date: later, name: 'Founders day' }, 201, 'holiday_added', 'holidays', null);
    const added = await write('POST', '/api/admin/holidays', { date: day, name: 'Clinic outing' }, 201, 'holiday_added', 'holidays', null);
    assert.deepEqual(added.holiday, { date: day, name: 'Clinic outing' });
    assert.deepEqual((await admin('GET', '/api/admin/holidays')).body, { items: [{ date: day, name: 'Clinic outing' }, { date: later, name: 'Founders day' }] });
    assert.deepEqual(await slotStarts(doctorId, day), []);
    const again = await admin('POST', '/api/admin/holidays', { date: day, name: 'Twice' });
    assert.equal(again.status, 400);
    assert.deepEqual(again.body.issues.map((i: { path: string }) => i.path), ['date']);
    const removed = await write('DELETE', `/api/admin/holidays/${day}`, undefined, 200, 'holiday_removed', 'holidays', null);
    assert.deepEqual(removed, { holiday: { date: day, name: 'Clinic outing' }, affected: [] });
    await write('DELETE', `/api/admin/holidays/${later}`, undefined, 200, 'holiday_removed', 'holidays', null);
    assert.equal((await slotStarts(doctorId, day)).length, 10);
    assert.equal((await admin('DELETE', `/api/admin/holidays/${day}`)).status, 404);
  });

  test("rules: the clinic's, and a doctor's own over them; the slots follow", async () => {
    const clinic = (await admin('GET', '/api/admin/rules')).body;
    assert.deepEqual(Object.keys(clinic).sort(), ['cancel_cutoff_minutes', 'horizon_days', 'min_notice_minutes', 'reschedule_cutoff_minutes']);
    const tight = { ...clinic, horizon_days: 5 };
    assert.deepEqual(await write('PUT', '/api/admin/rules', tight, 200, 'rules_changed', 'rules', null), { rules: tight, affected: [] });
    assert.deepEqual(await slotStarts(doctorId, day), [], 'ten days ahead is past a five-day horizon');
    const own = await write('PUT', `/api/admin/doctors/${doctorId}/rules`, { min_notice_minutes: null, horizon_days: 30, cancel_cutoff_minutes: 60, reschedule_cutoff_minutes: null }, 200, 'doctor_rules_changed', 'rules', doctorId);
    assert.deepEqual(own.doctor.rules, { min_notice_minutes: null, horizon_days: 30, cancel_cutoff_minutes: 60, reschedule_cutoff_minutes: null });
    assert.equal((await slotStarts(doctorId, day)).length, 10, "the doctor's horizon wins over the clinic's");
    await write('PUT', `/api/admin/doctors/${doctorId}/rules`, {}, 200, 'doctor_rules_changed', 'rules', doctorId);
    assert.deepEqual(await slotStarts(doctorId, day), [], "back to the clinic's");
    await write('PUT', '/api/admin/rules', clinic, 200, 'rules_changed', 'rules', null);
    assert.equal((await slotStarts(doctorId, day)).length, 10);
  });

  test('deactivating a doctor takes their slots away, and reactivating gives them back', async () => {
    await write('PATCH', `/api/admin/doctors/${doctorId}`, { active: false }, 200, 'doctor_updated', 'doctor', doctorId);
    assert.deepEqual(await slotStarts(doctorId, day), []);
    const publicIds = async () => (await call(app.url, 'GET', '/api/doctors')).body.items.map((d: { id: number }) => d.id);
    assert.ok(!(await publicIds()).includes(doctorId), 'not listed publicly');
    assert.equal((await admin('GET', `/api/admin/doctors/${doctorId}`)).body.active, false, 'still listed for the admin');
    await write('PATCH', `/api/admin/doctors/${doctorId}`, { active: true }, 200, 'doctor_updated', 'doctor', doctorId);
    assert.equal((await slotStarts(doctorId, day)).length, 10);
    assert.ok((await publicIds()).includes(doctorId), 'listed again');
    assert.equal(writes, 23, 'every write above was checked');
  });

  test('no schedule event carries patient data; the outbox trigger files none in the appointment audit_log', async () => {
    const { rows } = await db.owner.query("SELECT data::text AS data FROM outbox WHERE type = 'health.booking.schedule.changed.v1'");
    assert.equal(rows.length, 23, 'one event per write');
    for (const { data } of rows) assert.deepEqual(Object.keys(JSON.parse(data)).sort(), ['change', 'doctor_id']);
    assert.equal((await db.owner.query("SELECT count(*)::int AS n FROM audit_log WHERE event_type LIKE 'health.booking.schedule.%'")).rows[0].n, 0);
  });
});

describe('who may call it', () => {
  test('admin only: reception, clinician and the STAFF_TOKEN service credential get 403, no token 401; nothing is written', async () => {
    const doctorId = await newDoctor('Dr Roles');
    const typeId = (await admin('GET', `/api/admin/doctors/${doctorId}`)).body.appointment_types[0].id;
    const day = futureDate(12);
    const endpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/admin/doctors'],
      ['POST', '/api/admin/doctors', { name: 'Dr Nobody', specialty: 'X', timezone: 'UTC' }],
      ['GET', `/api/admin/doctors/${doctorId}`],
      ['PATCH', `/api/admin/doctors/${doctorId}`, { active: false }],
      ['POST', `/api/admin/doctors/${doctorId}/appointment-types`, { name: 'T', minutes: 15 }],
      ['PATCH', `/api/admin/appointment-types/${typeId}`, { name: 'Renamed' }],
      ['PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [] }],
      ['PUT', `/api/admin/doctors/${doctorId}/overrides/${day}`, { ranges: [] }],
      ['DELETE', `/api/admin/doctors/${doctorId}/overrides/${day}`],
      ['POST', `/api/admin/doctors/${doctorId}/time-off`, { starts_at: `${day}T09:00:00Z`, ends_at: `${day}T10:00:00Z` }],
      ['DELETE', '/api/admin/time-off/1'],
      ['GET', '/api/admin/holidays'],
      ['POST', '/api/admin/holidays', { date: day, name: 'No' }],
      ['DELETE', `/api/admin/holidays/${day}`],
      ['GET', '/api/admin/rules'],
      ['PUT', '/api/admin/rules', { min_notice_minutes: 0, horizon_days: 1, cancel_cutoff_minutes: 0, reschedule_cutoff_minutes: 0 }],
      ['PUT', `/api/admin/doctors/${doctorId}/rules`, { horizon_days: 1 }],
    ];
    const before = await dump();
    let checked = 0;
    for (const [method, path, body] of endpoints) {
      for (const role of ['reception', 'clinician', 'service']) {
        const res = await as(role, method, path, body);
        assert.equal(res.status, 403, `${role} ${method} ${path}: ${res.text}`);
        assert.equal(res.body.error, 'forbidden');
        checked++;
      }
      const anonymous = await as('none', method, path, body);
      assert.equal(anonymous.status, 401, `no token ${method} ${path}`);
      assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer');
      checked++;
    }
    assert.equal(checked, 17 * 4);
    assert.equal(await dump(), before, 'no refused caller changed anything, nor left an audit row or event');
  });
});

describe('bad input: 400 with the field, and nothing written', () => {
  test('each class of mistake names its field and changes nothing', async () => {
    const doctorId = await newDoctor('Dr Refusals', everyDay('09:00', '13:00'));
    const day = futureDate(14);
    const cases: Array<[string, string, string, unknown, string[]]> = [
      ['overlapping ranges on one weekday', 'PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [{ weekday: 1, starts_at: '09:00', ends_at: '12:00' }, { weekday: 2, starts_at: '11:00', ends_at: '13:00' }, { weekday: 1, starts_at: '11:30', ends_at: '14:00' }] }, ['hours.2.starts_at']],
      ['a range that ends before it starts', 'PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [{ weekday: 3, starts_at: '10:00', ends_at: '10:00' }, { weekday: 4, starts_at: '10:00', ends_at: '09:00' }] }, ['hours.0.ends_at', 'hours.1.ends_at']],
      ['24:00 as a start', 'PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [{ weekday: 3, starts_at: '24:00', ends_at: '24:00' }] }, ['hours.0.starts_at']],
      ['a weekday past Sunday', 'PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [{ weekday: 8, starts_at: '09:00', ends_at: '10:00' }] }, ['hours.0.weekday']],
      ['overlapping ranges on one date', 'PUT', `/api/admin/doctors/${doctorId}/overrides/${day}`, { ranges: [{ starts_at: '09:00', ends_at: '10:00' }, { starts_at: '08:00', ends_at: '09:30' }] }, ['ranges.0.starts_at']],
      ['a date that does not exist', 'PUT', `/api/admin/doctors/${doctorId}/overrides/2027-02-30`, { ranges: [] }, ['date']],
      ['an unknown time zone', 'POST', '/api/admin/doctors', { name: 'Dr Mars', specialty: 'Space', timezone: 'Mars/Olympus_Mons' }, ['timezone']],
      ['an unknown time zone in a change', 'PATCH', `/api/admin/doctors/${doctorId}`, { timezone: 'Europe/Atlantis' }, ['timezone']],
      ["a type longer than every range of the doctor's week", 'POST', `/api/admin/doctors/${doctorId}/appointment-types`, { name: 'Marathon', minutes: 300 }, ['minutes']],
      ['time off that ends in the past', 'POST', `/api/admin/doctors/${doctorId}/time-off`, { starts_at: '2020-01-01T09:00:00Z', ends_at: '2020-01-01T10:00:00Z' }, ['ends_at']],
      ['time off that ends before it starts', 'POST', `/api/admin/doctors/${doctorId}/time-off`, { starts_at: `${day}T10:00:00Z`, ends_at: `${day}T09:00:00Z` }, ['ends_at']],
      ['a reason over 200 characters', 'POST', `/api/admin/doctors/${doctorId}/time-off`, { starts_at: `${day}T09:00:00Z`, ends_at: `${day}T10:00:00Z`, reason: 'x'.repeat(201) }, ['reason']],
      ['a negative notice', 'PUT', '/api/admin/rules', { min_notice_minutes: -5, horizon_days: null, cancel_cutoff_minutes: 0, reschedule_cutoff_minutes: 0 }, ['min_notice_minutes']],
      ["a negative notice of a doctor's", 'PUT', `/api/admin/doctors/${doctorId}/rules`, { min_notice_minutes: -1 }, ['min_notice_minutes']],
      ['an unknown field', 'POST', '/api/admin/doctors', { name: 'Dr Extra', specialty: 'X', timezone: 'UTC', colour: 'blue' }, ['colour']],
      ['an unknown field in hours', 'PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: [{ weekday: 1, starts_at: '09:00', ends_at: '10:00', room: 4 }] }, ['hours.0.room']],
      ['an unknown rule', 'PUT', `/api/admin/doctors/${doctorId}/rules`, { max_per_day: 3 }, ['max_per_day']],
      ['a change of nothing', 'PATCH', `/api/admin/doctors/${doctorId}`, {}, ['']],
      ['a slot length out of range', 'POST', '/api/admin/doctors', { name: 'Dr Slow', specialty: 'X', timezone: 'UTC', slot_minutes: 241 }, ['slot_minutes']],
      ['a doctor id past 32 bits', 'PUT', '/api/admin/doctors/4294967296/hours', { hours: [] }, ['id']],
    ];
    const before = await dump();
    for (const [what, method, path, body, paths] of cases) {
      const res = await admin(method, path, body);
      assert.equal(res.status, 400, `${what}: ${res.text}`);
      assert.equal(res.body.error, 'invalid_request', what);
      assert.deepEqual(res.body.issues.map((i: { path: string }) => i.path), paths, `${what}: ${res.text}`);
      assert.equal(await dump(), before, `${what}: nothing written`);
    }
  });

  test('unknown doctor, type and time off ids are 404, and nothing is written', async () => {
    const before = await dump();
    for (const [method, path, body] of [
      ['GET', '/api/admin/doctors/999999'],
      ['PATCH', '/api/admin/doctors/999999', { name: 'Nobody' }],
      ['PUT', '/api/admin/doctors/999999/hours', { hours: [] }],
      ['POST', '/api/admin/doctors/999999/appointment-types', { name: 'T', minutes: 15 }],
      ['PATCH', '/api/admin/appointment-types/999999', { name: 'T' }],
      ['DELETE', '/api/admin/time-off/999999'],
      ['PUT', '/api/admin/doctors/999999/rules', {}],
    ] as Array<[string, string, unknown?]>) {
      const res = await admin(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
      assert.equal(res.body.error, 'not_found');
    }
    assert.equal(await dump(), before);
  });

  test('the database refuses what the API refuses: overlapping hours, a doctor with appointments deleted, any delete of doctors or types by the app', async () => {
    const doctorId = await addDoctor(db, { hours: [{ weekday: 1, start: '09:00', end: '12:00' }] });
    await assert.rejects(db.owner.query("INSERT INTO working_hours VALUES ($1, 1, '11:00', '13:00')", [doctorId]), { code: '23P01', constraint: 'working_hours_no_overlap' });
    await db.owner.query("INSERT INTO working_hours VALUES ($1, 1, '12:00', '13:00')", [doctorId]); // touching is fine
    await db.owner.query("INSERT INTO schedule_overrides VALUES ($1, '2030-01-01', NULL, NULL)", [doctorId]);
    await assert.rejects(db.owner.query("INSERT INTO schedule_overrides VALUES ($1, '2030-01-01', '09:00', '10:00')", [doctorId]), { code: '23P01' }, 'a closed date has no hours');
    await db.owner.query("INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256('admin-test-reference-0001'), 'P', $1, '2031-01-06T09:00Z', '2031-01-06T09:30Z')", [doctorId]);
    await assert.rejects(db.owner.query('DELETE FROM doctors WHERE id = $1', [doctorId]), { code: '23503' }, 'the owner cannot delete a doctor with appointments either');
    const appRole = new pg.Client({ connectionString: db.appUrl });
    await appRole.connect();
    try {
      await assert.rejects(appRole.query('DELETE FROM doctors WHERE id = $1', [doctorId]), { code: '42501' });
      await assert.rejects(appRole.query('DELETE FROM appointment_types WHERE doctor_id = $1', [doctorId]), { code: '42501' });
      await assert.rejects(appRole.query('UPDATE doctors SET id = id WHERE id = $1', [doctorId]), { code: '42501' });
    } finally {
      await appRole.end();
    }
  });
});

describe('affected: booked appointments the new schedule no longer covers', () => {
  test('outside new hours, inside new time off, on a new holiday, of a deactivated doctor; none is cancelled', async () => {
    const doctorId = await newDoctor('Dr Affected');
    const other = await newDoctor('Dr Bystander');
    const [d1, d2, d3] = [futureDate(21), futureDate(22), futureDate(23)];
    const ids: Record<string, number> = {};
    for (const [key, doctor, at] of [['afternoon', doctorId, `${d1}T15:00:00Z`], ['morning', doctorId, `${d1}T10:00:00Z`], ['next', doctorId, `${d2}T10:00:00Z`], ['holiday', doctorId, `${d3}T09:30:00Z`], ['bystander', other, `${d3}T11:00:00Z`]] as const) {
      const res = await book(doctor, at);
      assert.equal(res.status, 201, key);
      ids[key] = res.id!;
    }
    const idsOf = (body: { affected: Array<{ id: number }> }) => body.affected.map((a) => a.id).sort((a, b) => a - b);
    const sorted = (...keys: string[]) => keys.map((k) => ids[k]).sort((a, b) => a - b);

    const hours = await admin('PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: everyDay('09:00', '12:00') });
    assert.equal(hours.status, 200);
    assert.deepEqual(hours.body.affected, [{ id: ids.afternoon, doctor_id: doctorId, start: `${d1}T15:00:00.000Z`, end: `${d1}T15:30:00.000Z` }], 'only the afternoon, without patient data');
    assert.deepEqual((await lastAudit()).ids, [String(ids.afternoon)], 'the audit row names the affected appointments');

    const timeOff = await admin('POST', `/api/admin/doctors/${doctorId}/time-off`, { starts_at: `${d2}T09:45:00Z`, ends_at: `${d2}T10:15:00Z`, reason: 'Dentist' });
    assert.deepEqual(idsOf(timeOff.body), sorted('afternoon', 'next'));

    const holiday = await admin('POST', '/api/admin/holidays', { date: d3, name: 'Closed' });
    assert.equal(holiday.status, 201);
    assert.deepEqual(idsOf(holiday.body), sorted('afternoon', 'next', 'holiday', 'bystander'), "a holiday affects every doctor's day");

    const override = await admin('PUT', `/api/admin/doctors/${doctorId}/overrides/${d1}`, { ranges: [{ starts_at: '11:00', ends_at: '12:00' }] });
    assert.deepEqual(idsOf(override.body), sorted('afternoon', 'morning', 'next', 'holiday'));

    const deactivated = await admin('PATCH', `/api/admin/doctors/${doctorId}`, { active: false });
    assert.deepEqual(idsOf(deactivated.body), sorted('afternoon', 'morning', 'next', 'holiday'), 'every booking of an inactive doctor');
    const { rows } = await db.owner.query('SELECT status, count(*)::int AS n FROM appointments WHERE doctor_id = $1 GROUP BY status', [doctorId]);
    assert.deepEqual(rows, [{ status: 'booked', n: 4 }], 'deactivating keeps every appointment, booked');
    const events = await db.owner.query("SELECT data::text AS data FROM outbox WHERE type = 'health.booking.schedule.changed.v1'");
    assert.ok(events.rows.every((r) => !r.data.includes('Orla') && !r.data.includes('reference')), 'no patient data in a schedule event');
  });
});

describe('hours edited while bookings race', () => {
  const waitingOnLock = async () =>
    (await db.owner.query("SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted")).rows[0].n;
  async function until(condition: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 200; i++) {
      if (await condition()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`timed out waiting for ${what}`);
  }

  test('a booking that waited for the lock behind a change of hours is refused, not left outside them unlisted', async () => {
    const doctorId = await newDoctor('Dr Waited');
    const day = futureDate(30);
    const change = new pg.Client({ connectionString: db.appUrl });
    await change.connect();
    try {
      // What the admin API does, held open: the doctor's lock, then the afternoon removed.
      await change.query('BEGIN');
      await change.query("SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $1::integer, 0))", [doctorId]);
      await change.query("DELETE FROM working_hours WHERE doctor_id = $1 AND weekday = extract(isodow FROM $2::date)", [doctorId, day]);
      await change.query("INSERT INTO working_hours VALUES ($1, extract(isodow FROM $2::date), '09:00', '12:00')", [doctorId, day]);
      await change.query('INSERT INTO schedule_changes VALUES ($1, clock_timestamp()) ON CONFLICT (doctor_id) DO UPDATE SET changed_at = excluded.changed_at', [doctorId]);
      const booking = book(doctorId, `${day}T15:00:00Z`);
      await until(async () => (await waitingOnLock()) > 0, 'the booking to wait for the lock');
      await change.query('COMMIT');
      const res = await booking;
      assert.equal(res.status, 409, 'refused as a lost race');
    } finally {
      await change.end();
    }
    assert.equal((await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND status = 'booked'", [doctorId])).rows[0].n, 0);
  });

  test('a change of hours waits for a booking in flight and lists it', async () => {
    const doctorId = await newDoctor('Dr In Flight');
    const day = futureDate(31);
    const inFlight = new pg.Client({ connectionString: db.ownerUrl });
    await inFlight.connect();
    try {
      await inFlight.query('BEGIN');
      await inFlight.query("SELECT pg_advisory_xact_lock(hashtextextended('booking:' || $1::integer, 0))", [doctorId]);
      const put = admin('PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: everyDay('09:00', '12:00') });
      await until(async () => (await waitingOnLock()) > 0, 'the change to wait for the lock');
      const { rows } = await inFlight.query(
        "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256('admin-race-reference-0001'), 'P', $1, $2::timestamptz, $2::timestamptz + interval '30 minutes') RETURNING id",
        [doctorId, `${day}T15:00:00Z`],
      );
      await inFlight.query('COMMIT');
      const res = await put;
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.affected.map((a: { id: number }) => a.id), [Number(rows[0].id)]);
    } finally {
      await inFlight.end();
    }
  });

  test('many bookings into the afternoon while an admin removes it: every one booked outside the new hours is listed, none lost, none double', async () => {
    const rounds = 4;
    let attempted = 0;
    let bookedTotal = 0;
    let listedTotal = 0;
    let refused = 0;
    for (let round = 0; round < rounds; round++) {
      const doctorId = await newDoctor(`Dr Race ${round}`);
      const day = futureDate(40 + round);
      const afternoon = ['12:00', '12:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30'];
      const attempts = afternoon.flatMap((t) => [0, 1, 2].map(() => `${day}T${t}:00Z`));
      attempted += attempts.length;
      const bookings = attempts.map((at, i) => new Promise((r) => setTimeout(r, i % 15)).then(() => book(doctorId, at)));
      const put = new Promise((r) => setTimeout(r, 6)).then(() => admin('PUT', `/api/admin/doctors/${doctorId}/hours`, { hours: everyDay('09:00', '12:00') }));
      const [answers, change] = await Promise.all([Promise.all(bookings), put]);
      assert.equal(change.status, 200, change.text);
      for (const a of answers) assert.ok([201, 409, 422].includes(a.status), `a booking answered ${a.status}`);
      refused += answers.filter((a) => a.status !== 201).length;
      const { rows } = await db.owner.query("SELECT id::int AS id, utc_iso(appointment_time) AS start FROM appointments WHERE doctor_id = $1 AND status = 'booked' ORDER BY appointment_time", [doctorId]);
      const answered = answers.filter((a) => a.status === 201).map((a) => a.id!).sort((a, b) => a - b);
      assert.deepEqual(rows.map((r) => r.id).sort((a, b) => a - b), answered, 'every 201 is a booked appointment, and nothing else is');
      assert.equal(new Set(rows.map((r) => r.start)).size, rows.length, 'no double booking');
      const listed = new Set(change.body.affected.map((a: { id: number }) => a.id));
      const outside = rows.filter((r) => r.start.slice(11, 16) >= '12:00');
      for (const r of outside) assert.ok(listed.has(r.id), `booked at ${r.start} outside the new hours, and listed`);
      bookedTotal += rows.length;
      listedTotal += listed.size;
    }
    console.log(`race: ${attempted} booking attempts over ${rounds} rounds, ${bookedTotal} booked, ${listedTotal} listed as affected, ${refused} refused (taken or outside the new hours)`);
    assert.ok(bookedTotal > 0);
  });
});
