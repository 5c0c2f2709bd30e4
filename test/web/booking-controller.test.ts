import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { BookingApi, type Appointment, type Endpoints } from '../../web/src/api';
import { BookingController, lookupFailure, type BookingHost, type FocusTarget } from '../../web/src/lib/booking-controller';
import { formatDate } from '../../web/src/lib/time';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * The widget's booking controller in plain Node, against the real API on a real PostgreSQL,
 * through Node's own fetch: what a patient's choices load, what booking sends (and under
 * which Idempotency-Key), and what each answer makes the widget say and focus.
 */
let db: TestDatabase;
let app: RunningApp;
let api: BookingApi;
let doctorId: number;
const doctorName = 'Dr Node Controller';
const patientZone = 'UTC';
const locale = 'en-GB';

before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl);
  const base = app.url;
  api = new BookingApi({ availability: base, createBooking: base, listAppointments: base, cancelBooking: base, rescheduleBooking: base, frontDesk: base, staffAudit: base, adminSchedule: base });
  doctorId = await addDoctor(db, { name: doctorName, timezone: 'UTC', slotMinutes: 30 });
});

after(async () => {
  await app?.close();
  await db?.drop();
});

/** A host that records what the controller asks of the element, and can wait for a state. */
function recordingHost() {
  const focus: FocusTarget[] = [];
  const booked: Appointment[] = [];
  const waiting = new Set<() => void>();
  const host: BookingHost = {
    changed: () => waiting.forEach((check) => check()),
    focus: (target) => focus.push(target),
    booked: (appointment) => booked.push(appointment),
  };
  /** Resolves once `ready()` holds after some change; fails after 5 s. */
  const until = (what: string, ready: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      if (ready()) return resolve();
      const timer = setTimeout(() => {
        waiting.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, 5_000);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        waiting.delete(check);
        resolve();
      };
      waiting.add(check);
    });
  return { host, focus, booked, until };
}

/** A controller with recorded keys, on a doctor's future day whose slots are loaded. */
async function onDay(days: number, options: { api?: BookingApi; key?: string; sleep?: (ms: number) => Promise<void> } = {}) {
  const recorded = recordingHost();
  const keys: string[] = [];
  const controller = new BookingController(options.api ?? api, recorded.host, {
    patientZone,
    newKey: () => {
      keys.push(options.key ?? randomUUID());
      return keys[keys.length - 1];
    },
    sleep: options.sleep,
  });
  controller.locale = locale;
  await controller.load();
  await controller.chooseDoctor(doctorId);
  await controller.chooseDate(futureDate(days));
  assert.ok(controller.day, 'the day is loaded');
  return { controller, keys, ...recorded };
}

/** Ids of the appointments booked for `name` (ids, not references: the database keeps only a reference's hash). */
async function appointmentsNamed(name: string): Promise<number[]> {
  const { rows } = await db.owner.query('SELECT id FROM appointments WHERE patient_name = $1 ORDER BY id', [name]);
  return rows.map((r) => Number(r.id));
}

async function keysOf(appointment: Appointment): Promise<string[]> {
  const { rows } = await db.owner.query('SELECT key FROM idempotency_keys WHERE appointment_id = $1', [appointment.id]);
  return rows.map((r) => r.key);
}

test('lists the doctors, then loads the chosen day and says how many times are free', async () => {
  const { host } = recordingHost();
  const controller = new BookingController(api, host, { patientZone });
  controller.locale = locale;
  const loading = controller.load();
  assert.equal(controller.notice?.text, 'Loading the list of doctors…');
  await loading;
  assert.ok(controller.doctors.some((d) => d.id === doctorId && d.name === doctorName));
  assert.equal(controller.notice?.text, 'Choose a doctor and a date to see the times you can book.');

  await controller.chooseDoctor(doctorId);
  assert.equal(controller.doctor?.name, doctorName);
  // A half-typed date asks nothing of the server.
  await controller.chooseDate('0002-03-04');
  assert.equal(controller.day === undefined, true, 'no day');
  assert.equal(controller.notice?.text, 'Choose a date to see the times you can book.');

  // A day chosen while another is loading wins, whatever order the answers come in.
  const first = controller.chooseDate(futureDate(3));
  assert.equal(controller.notice?.text, 'Looking up times…');
  const second = controller.chooseDate(futureDate(4));
  await Promise.all([first, second]);
  const day = controller.day;
  assert.equal(day?.date, futureDate(4));
  assert.equal(day?.slots.length, 16, '09:00 to 17:00 in 30 minutes');
  assert.equal(controller.notice?.text, `16 of 16 times free on ${formatDate(futureDate(4), locale)}.`);

  // An id that is no doctor: the server's own words, and no "Try again" (trying cannot help).
  await controller.chooseDoctor(2_000_000_000);
  assert.equal(controller.notice?.tone, 'error');
  assert.equal(controller.notice?.action, undefined);
  assert.ok(controller.notice?.text);
});

test('books a slot: checks the details first, then a 201 shows the confirmation', async () => {
  const { controller, keys, focus, booked, until } = await onDay(5);
  await controller.submit();
  assert.equal(controller.fieldErrors.patient_name, 'Enter your name.');
  assert.equal(controller.notice?.text, 'Please check your details below.');
  assert.deepEqual(focus, ['patient_name']);

  controller.setDetail('patient_name', '  Nora Node ');
  assert.equal(controller.fieldErrors.patient_name, undefined, 'typing clears the field\'s error');
  controller.setDetail('patient_email', 'not an address');
  await controller.submit();
  assert.match(controller.fieldErrors.patient_email ?? '', /^Enter an e-mail address/);
  // 101 characters is one too many, counted as the API counts them: in code points.
  controller.setDetail('patient_name', '\u{1F600}'.repeat(101));
  await controller.submit();
  assert.equal(controller.fieldErrors.patient_name, 'Use at most 100 characters.');
  controller.setDetail('patient_name', '  Nora Node ');
  controller.setDetail('patient_email', 'nora@example.org');
  await controller.submit();
  assert.equal(controller.notice?.text, 'Choose a time first.');
  assert.deepEqual(focus.slice(-1), ['first-free-slot']);
  assert.deepEqual(keys, [], 'nothing was sent');
  assert.deepEqual(await appointmentsNamed('Nora Node'), []);

  const slot = controller.day!.slots[2];
  controller.chooseSlot(slot.start);
  const booking = controller.submit();
  assert.equal(controller.booking, true);
  assert.equal(controller.notice?.text, 'Booking…');
  await booking;
  assert.equal(controller.booking, false);
  const appointment = controller.booked;
  assert.ok(appointment, controller.notice?.text);
  assert.equal(appointment.patient_name, 'Nora Node');
  assert.equal(appointment.appointment_time, slot.start);
  assert.deepEqual(booked, [appointment], 'the element is told once, to fire booking-confirmed');
  assert.deepEqual(focus.slice(-1), ['confirmation']);
  assert.deepEqual(controller.notice, { tone: 'success', text: 'Your appointment is booked.', quiet: true });
  assert.deepEqual(controller.details, { patient_name: '', patient_email: '', patient_phone: '' });
  assert.equal(controller.slotStart, undefined);
  assert.deepEqual(await appointmentsNamed('Nora Node'), [appointment.id]);
  assert.equal(keys.length, 1);
  assert.deepEqual(await keysOf(appointment), keys, 'booked under the key the controller made');

  // Booking another shows fresh times: the one just booked is taken.
  const fresh = controller.bookAnother();
  assert.equal(controller.booked === undefined, true, 'not booked');
  assert.deepEqual(focus.slice(-1), ['doctor']);
  await fresh;
  await until('the refreshed day', () => controller.day?.slots[2].available === false);
});

test('a name of 60 characters, 56 of them emoji (116 UTF-16 units), is not too long: it books', async () => {
  const { controller } = await onDay(10);
  const name = `Ann ${'\u{1F600}'.repeat(56)}`;
  assert.equal([...name].length, 60);
  assert.equal(name.length, 116);
  controller.chooseSlot(controller.day!.slots[0].start);
  controller.setDetail('patient_name', name);
  await controller.submit();
  assert.equal(controller.fieldErrors.patient_name, undefined);
  assert.equal(controller.booked?.patient_name, name, controller.notice?.text);
});

test('a slot taken meanwhile is a clean slot_taken: fresh times, the details kept, nothing booked', async () => {
  const { controller, keys, focus, booked, until } = await onDay(6);
  const slot = controller.day!.slots[4];
  const other = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Quick Quentin', doctor_id: doctorId, appointment_time: slot.start } });
  assert.equal(other.status, 201);
  assert.equal(controller.day!.slots[4].available, true, 'the controller still shows it free');

  controller.chooseSlot(slot.start);
  controller.setDetail('patient_name', 'Slow Sam');
  await controller.submit();
  assert.equal(controller.booked === undefined, true, 'not booked');
  assert.deepEqual(booked, []);
  assert.equal(controller.notice?.tone, 'warning');
  assert.equal(controller.notice?.text, 'Sorry, 11:00 was just taken by someone else. The times below are up to date: please choose another.');
  assert.equal(controller.slotStart, undefined);
  assert.equal(controller.details.patient_name, 'Slow Sam', 'what the patient typed is kept');
  assert.deepEqual(focus.slice(-1), ['status']);
  await until('the refreshed day', () => controller.day?.slots[4].available === false);
  assert.deepEqual(await appointmentsNamed('Slow Sam'), []);

  // A refused booking is over: the next attempt, at another time, has a key of its own.
  controller.chooseSlot(controller.day!.slots[5].start);
  await controller.submit();
  assert.ok(controller.booked, controller.notice?.text);
  assert.equal(keys.length, 2);
  assert.notEqual(keys[1], keys[0]);
  assert.deepEqual(await keysOf(controller.booked), [keys[1]]);
});

test('a time that is not a slot is not_bookable, and a name the server refuses is put on its field', async () => {
  const { controller, focus } = await onDay(7);
  const offGrid = new Date(Date.parse(controller.day!.slots[0].start) + 7 * 60_000).toISOString();
  controller.chooseSlot(offGrid);
  controller.setDetail('patient_name', 'Off Grid Olga');
  await controller.submit();
  assert.equal(controller.notice?.tone, 'warning');
  assert.match(controller.notice?.text ?? '', /^09:07 can no longer be booked\. .+ The times below are up to date: please choose another\.$/);

  // U+202E passes the widget's own checks (it is not a control character); the API refuses it.
  controller.chooseSlot(controller.day!.slots[1].start);
  controller.setDetail('patient_name', 'Mallory \u202Eyrollam');
  await controller.submit();
  assert.equal(controller.booked === undefined, true, 'not booked');
  assert.match(controller.fieldErrors.patient_name ?? '', /^This .+\.$/);
  assert.equal(controller.notice?.text, 'Please check your details below.');
  assert.deepEqual(focus.slice(-1), ['patient_name']);
  assert.deepEqual(await appointmentsNamed('Mallory \u202Eyrollam'), []);
});

test('a booking still in flight is asked about again after Retry-After, under the same key, and booked once', async () => {
  const name = 'Patient Parallel';
  const waits: number[] = [];
  let firstRequest: Promise<Awaited<ReturnType<typeof call>>> | undefined;
  const key = randomUUID();
  const lock = new pg.Client({ connectionString: db.ownerUrl });
  await lock.connect();
  try {
    const { controller, keys } = await onDay(8, {
      key,
      sleep: async (ms) => {
        waits.push(ms);
        // Let the first request finish before the controller asks again.
        await lock.query('COMMIT');
        await firstRequest;
      },
    });
    const slot = controller.day!.slots[3];
    controller.chooseSlot(slot.start);
    controller.setDetail('patient_name', name);
    // A first request under the key that is held up inside its transaction (its insert waits
    // for our table lock), as when the patient's first click is still being booked.
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE appointments IN EXCLUSIVE MODE');
    firstRequest = call(app.url, 'POST', '/api/appointments', {
      body: { patient_name: name, doctor_id: doctorId, appointment_time: slot.start },
      headers: { 'Idempotency-Key': key },
    });
    await waitForBlockedInsert(lock);

    await controller.submit();
    assert.deepEqual(waits, [1000], 'waited once, as long as Retry-After said');
    const first = await firstRequest;
    assert.equal(first.status, 201);
    assert.ok(controller.booked, controller.notice?.text);
    assert.equal(controller.booked.reference, first.body.reference, 'the answer is the first request\'s booking');
    assert.deepEqual(await appointmentsNamed(name), [first.body.id]);
    assert.deepEqual(keys, [key], 'one key, made once');
  } finally {
    await lock.query('ROLLBACK').catch(() => {});
    await lock.end();
  }
});

/** Waits until some backend waits for a lock: the held-up insert. */
async function waitForBlockedInsert(client: pg.Client): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'appointments'::regclass");
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('the first request never reached its insert');
}

test('an unanswered booking offers Try again, and trying again books once under the same key', async () => {
  const down = `http://127.0.0.1:${await freePort()}`;
  const unreachable: Endpoints = { ...api.endpoints, createBooking: down };
  const { controller, keys, focus, until } = await onDay(9, { api: new BookingApi(unreachable, 2_000) });
  controller.chooseSlot(controller.day!.slots[6].start);
  controller.setDetail('patient_name', 'Retry Rita');
  await controller.submit();
  const notice = controller.notice;
  assert.equal(notice?.tone, 'error');
  assert.match(notice?.text ?? '', /the booking service isn't answering\. .*you won't be booked twice\./);
  assert.equal(notice?.action?.label, 'Try again');
  assert.deepEqual(focus.slice(-1), ['status']);
  // Submitting the same booking again keeps the key: it may have been made.
  await controller.submit();
  assert.equal(keys.length, 1);

  controller.api = api;
  notice!.action!.run();
  await until('the booking', () => controller.booked !== undefined);
  assert.ok(controller.booked, controller.notice?.text);
  assert.deepEqual(await appointmentsNamed('Retry Rita'), [controller.booked.id]);
  assert.deepEqual(await keysOf(controller.booked), keys);
});

test('look-up failures: an unknown reference is told so, a refusal is quoted, only an outage offers Try again', async () => {
  let retried = 0;
  const retry = () => retried++;
  const missing = await api.find('x'.repeat(22)).catch((e: unknown) => e);
  assert.deepEqual(lookupFailure(missing, 'look up your booking', retry), {
    tone: 'warning',
    text: 'No booking has that reference. Check it against your confirmation and try again.',
  });
  const down = await new BookingApi({ ...api.endpoints, listAppointments: `http://127.0.0.1:${await freePort()}` }).find('x'.repeat(22)).catch((e: unknown) => e);
  const notice = lookupFailure(down, 'look up your booking', retry);
  assert.equal(notice.tone, 'error');
  assert.match(notice.text, /couldn't look up your booking/);
  notice.action?.run();
  assert.equal(retried, 1);
});
