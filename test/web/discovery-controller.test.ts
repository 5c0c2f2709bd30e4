import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BookingApi } from '../../web/src/api';
import { BookingController, type BookingHost } from '../../web/src/lib/booking-controller';
import { DiscoveryController } from '../../web/src/lib/discovery-controller';
import { startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * The widget's discovery controller in plain Node against the real API on a real PostgreSQL:
 * which doctors a specialty leaves, which month the calendar shows and loads, what "first
 * available" finds and how taking one of its times sets up the booking.
 */
let db: TestDatabase;
let app: RunningApp;
let api: BookingApi;
let surgeon: number;
let pediatrician: number;
let longType: number;

before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl);
  const base = app.url;
  api = new BookingApi({ availability: base, createBooking: base, listAppointments: base, cancelBooking: base, rescheduleBooking: base, frontDesk: base, staffAudit: base, adminSchedule: base });
  surgeon = await addDoctor(db, { name: 'Dr Sam Surgeon', specialty: 'Surgery', timezone: 'UTC', slotMinutes: 30 });
  pediatrician = await addDoctor(db, { name: 'Dr Pia Peds', specialty: 'Pediatrics', timezone: 'UTC', slotMinutes: 15 });
  const { rows } = await db.owner.query("INSERT INTO appointment_types (doctor_id, name, minutes) VALUES ($1, 'Long consult', 90) RETURNING id", [surgeon]);
  longType = rows[0].id;
});

after(async () => {
  await app?.close();
  await db?.drop();
});

function controllers() {
  const focus: string[] = [];
  const host: BookingHost = { changed: () => {}, focus: (target) => focus.push(target), booked: () => {} };
  const booking = new BookingController(api, host, { patientZone: 'UTC' });
  booking.locale = 'en-GB';
  const discovery = new DiscoveryController(booking, { changed: () => {} });
  return { booking, discovery, focus };
}

test('a specialty narrows the doctors and drops a chosen doctor of another one', async () => {
  const { booking, discovery } = controllers();
  await booking.load();
  assert.deepEqual(discovery.specialties, ['Pediatrics', 'Surgery']);
  assert.equal(discovery.doctors.length, 2);
  await booking.chooseDoctor(surgeon);
  await discovery.chooseSpecialty('surgery');
  assert.equal(booking.doctorId, surgeon, 'the same specialty in another case keeps the doctor');
  assert.deepEqual(discovery.doctors.map((d) => d.id), [surgeon]);
  await discovery.chooseSpecialty('Pediatrics');
  assert.equal(booking.doctorId, undefined);
  assert.deepEqual(discovery.doctors.map((d) => d.id), [pediatrician]);
  await discovery.chooseSpecialty('');
  assert.equal(discovery.doctors.length, 2);
});

test('the calendar month follows the chosen day until the patient moves it, and loads that month for the picked type', async () => {
  const { booking, discovery } = controllers();
  await booking.load();
  await booking.chooseDoctor(surgeon);
  const day = futureDate(40);
  await booking.chooseDate(day);
  assert.equal(discovery.month, day.slice(0, 7));
  await discovery.load();
  assert.equal(discovery.days?.month, day.slice(0, 7));
  assert.ok(discovery.days.days.some((d) => d.date === day && d.free_slots === 16), JSON.stringify(discovery.days.days.slice(0, 3)));

  // Moved on: the month stays while the day is the same, and a new day brings the calendar back.
  await discovery.showMonth('2027-05');
  assert.equal(discovery.month, '2027-05');
  assert.equal(discovery.days?.month, '2027-05');
  await booking.chooseDate('0002-01-01');
  assert.equal(discovery.month, '2027-05', 'a half-typed date leaves the calendar where it is');
  await booking.chooseDate(day);
  assert.equal(discovery.month, day.slice(0, 7));

  // A picked type's days count its own, longer slots (90 minutes: five between 09:00 and 17:00).
  await booking.chooseType(longType);
  await discovery.load();
  assert.equal(discovery.days?.appointment_type_id, longType);
  assert.equal(discovery.days.days.find((d) => d.date === day)?.free_slots, 5);
});

test('"first available" finds the earliest times of the specialty and type, and taking one sets up the booking', async () => {
  const { booking, discovery, focus } = controllers();
  await booking.load();
  await discovery.chooseSpecialty('Pediatrics');
  await discovery.findFirst();
  const offers = discovery.offers!;
  assert.ok(offers.length > 0 && offers.length <= 3, 'at most three a doctor');
  assert.ok(offers.every((o) => o.doctor_id === pediatrician && o.minutes === 15));
  assert.match(booking.notice?.text ?? '', /^The \d earliest free times in Pediatrics, with 1 doctor\. Choose one to book it\.$/);

  await discovery.chooseOffer(offers[0]);
  assert.equal(discovery.offers, undefined, 'the list is closed');
  assert.equal(booking.doctorId, pediatrician);
  assert.equal(booking.slotStart, offers[0].start);
  assert.equal(booking.date, offers[0].start.slice(0, 10));
  assert.equal(booking.day?.slots.find((s) => s.start === offers[0].start)?.available, true);
  assert.deepEqual(focus, ['patient_name'], 'on to the details');

  // A type the patient picked is searched by its name, across doctors.
  await discovery.chooseSpecialty('');
  await booking.chooseDoctor(surgeon);
  await booking.chooseType(longType);
  await discovery.findFirst();
  assert.ok(discovery.offers!.length > 0);
  assert.ok(discovery.offers!.every((o) => o.doctor_id === surgeon && o.appointment_type_id === longType && o.minutes === 90));
});
