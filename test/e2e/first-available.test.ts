import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addMonths, monthOf } from '../../web/src/lib/calendar';
import { addDays } from '../../web/src/lib/time';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, type TestDatabase } from '../helpers/db';
import { checkState, focused, launchBrowser, openPage, patientContext, tabTo } from './browser';

/**
 * <booking-widget>'s ways to find a time (issue 11), in real Chromium against the real API on
 * a real PostgreSQL: the specialty filter, the appointment type, the month calendar (its
 * bookable days, a clinic holiday that is not, and the APG grid keys) and "First available",
 * each ending in a booking made with the keyboard alone and checked in the database. Every
 * state is checked with axe.
 */
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let cardiologist: number;
let dermatologist: number;
let newPatientType: number;
const cardiologistName = 'Dr Cora Calendar';
const dermatologistName = 'Dr Dev First';
/** The widget starts on today (the patient's clock, UTC); the calendar test goes a month and a week on, to a holiday. */
const today = new Date().toISOString().slice(0, 10);
const holiday = addDays(addMonths(today, 1), 7);

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  app = await startApp(db.appUrl);
  // Melbourne runs 11 hours ahead of UTC in December: its next 09:00 comes before the UTC
  // doctor's, so the earliest time of all is the cardiologist's and the filter has something to
  // change. The dermatologist is away for the rest of today (UTC), whatever the hour the test
  // runs: during UTC working hours they would otherwise have a time this afternoon, before
  // Melbourne's next morning, and their first time would not be a 09:00.
  cardiologist = await addDoctor(db, { name: cardiologistName, specialty: 'Cardiology', timezone: 'Australia/Melbourne', slotMinutes: 30 });
  dermatologist = await addDoctor(db, { name: dermatologistName, specialty: 'Dermatology', timezone: 'UTC', slotMinutes: 20 });
  await db.owner.query(
    "INSERT INTO time_off (doctor_id, during, reason) VALUES ($1, tstzrange(now(), (date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC'), 'Away today')",
    [dermatologist],
  );
  const { rows } = await db.owner.query("INSERT INTO appointment_types (doctor_id, name, minutes) VALUES ($1, 'New patient', 60) RETURNING id", [cardiologist]);
  newPatientType = rows[0].id;
  await db.owner.query("INSERT INTO clinic_holidays (day, name) VALUES ($1, 'Founders day')", [holiday]);
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

/** The day (`data-date`) of the calendar cell with the keyboard focus, inside both shadow roots. */
function focusedDay(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
    return el?.dataset.date;
  });
}

const calendar = (page: Page) => page.locator('booking-widget month-calendar');

async function appointmentsOf(doctorId: number, name: string) {
  const { rows } = await db.owner.query(
    'SELECT doctor_id, appointment_type_id, appointment_time, end_time, status FROM appointments WHERE doctor_id = $1 AND patient_name = $2',
    [doctorId, name],
  );
  return rows;
}

test('the specialty filter narrows the doctors, and the type choice appears for a doctor with two types', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/book`);
    await page.locator('booking-widget #doctor option', { hasText: cardiologistName }).waitFor({ state: 'attached' });
    const doctorOptions = () => page.locator('booking-widget #doctor option').allInnerTexts();
    assert.deepEqual(await doctorOptions(), ['Choose a doctor', `${cardiologistName} (Cardiology)`, `${dermatologistName} (Dermatology)`]);
    assert.deepEqual(await page.locator('booking-widget #specialty option').allInnerTexts(), ['All specialties', 'Cardiology', 'Dermatology']);
    await checkState(page, 'discovery-empty', false);

    await tabTo(page, 'the specialty', (f) => f.id === 'specialty');
    await page.keyboard.type('Derm');
    assert.equal((await focused(page))?.value, 'Dermatology');
    assert.deepEqual(await doctorOptions(), ['Choose a doctor', `${dermatologistName} (Dermatology)`]);
    await checkState(page, 'discovery-filtered', false);

    // One type: no question asked. Two: the default is chosen and the other offered.
    await page.keyboard.press('Tab');
    await page.keyboard.type('Dr Dev');
    assert.equal((await focused(page))?.value, String(dermatologist));
    await page.locator('booking-widget month-calendar').waitFor();
    assert.equal(await page.locator('booking-widget #appointment-type').count(), 0);

    // Back to every specialty: the dermatologist stays chosen; Cardiology drops them.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Home');
    assert.equal((await focused(page))?.value, '');
    assert.equal(await page.locator('booking-widget #doctor').inputValue(), String(dermatologist));
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page))?.value, 'Cardiology');
    assert.equal(await page.locator('booking-widget #doctor').inputValue(), '', 'a doctor of another specialty is no longer chosen');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Dr Cora');
    const types = page.locator('booking-widget #appointment-type option');
    await types.first().waitFor({ state: 'attached' });
    assert.deepEqual(await types.allInnerTexts(), ['Appointment (30 min)', 'New patient (60 min)']);
    assert.match(await page.locator('booking-widget #doctor-about').innerText(), /Cardiology\. Appointment: 30 minutes; /);
    await page.keyboard.press('Tab');
    await page.keyboard.type('New');
    assert.equal((await focused(page))?.value, String(newPatientType));
    await page.locator('booking-widget #doctor-about', { hasText: 'New patient: 60 minutes' }).waitFor();
    await checkState(page, 'discovery-type', false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('the calendar marks the bookable days, not a holiday, and books by keyboard alone (PageDown, arrows, Enter)', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/book`);
    await page.locator('booking-widget #doctor option', { hasText: cardiologistName }).waitFor({ state: 'attached' });
    await tabTo(page, 'the doctor list', (f) => f.id === 'doctor');
    await page.keyboard.type('Dr Cora');
    await tabTo(page, 'the type', (f) => f.id === 'appointment-type');
    await page.keyboard.type('New');
    assert.equal((await focused(page))?.value, String(newPatientType));

    // Into the grid: one Tab stop, on the chosen day (today, on the patient's clock).
    await tabTo(page, 'the calendar', (f) => f.tag === 'td');
    assert.equal(await focusedDay(page), today);
    assert.equal(await calendar(page).locator('td[tabindex="0"]').count(), 1, 'one Tab stop in the grid');
    const heading = calendar(page).locator('#month-heading');
    assert.equal(await heading.getAttribute('aria-live'), 'polite');
    await checkState(page, 'calendar-this-month', false);

    // PageDown: the same day next month; ArrowDown: a week on, the holiday (perhaps in the month after).
    await page.keyboard.press('PageDown');
    assert.equal(await focusedDay(page), addMonths(today, 1));
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedDay(page), holiday);
    const month = monthOf(holiday);
    assert.equal(await heading.innerText(), new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`)));

    // The dots are the API's bookable days of the type; the holiday is not one and is aria-disabled.
    const days = await call(app.url, 'GET', `/api/doctors/${cardiologist}/days?month=${month}&appointment_type_id=${newPatientType}`);
    assert.equal(days.status, 200);
    const bookable = (days.body.days as Array<{ date: string }>).map((d) => d.date);
    assert.ok(!bookable.includes(holiday), 'the API does not offer the holiday');
    assert.ok(bookable.length >= 20, `most days are bookable: ${bookable.join(' ')}`);
    await calendar(page).locator('table[aria-busy="false"]').waitFor();
    const marked = await calendar(page).locator('td.free').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.date));
    assert.deepEqual(marked, bookable);
    assert.equal(await calendar(page).locator(`td[data-date="${holiday}"]`).getAttribute('aria-disabled'), 'true');
    assert.equal(await calendar(page).locator(`td[data-date="${addDays(holiday, 1)}"]`).getAttribute('aria-disabled'), null);
    await checkState(page, 'calendar');

    // Enter on the holiday picks nothing; ArrowRight to the next day and Enter loads its times.
    // (The day chosen before, today, keeps its times on show: how many depends on the hour.)
    const chosenBefore = await page.locator('booking-widget #date').inputValue();
    await page.keyboard.press('Enter');
    assert.equal(await calendar(page).locator(`td[data-date="${holiday}"]`).getAttribute('aria-selected'), 'false');
    assert.equal(await page.locator('booking-widget #date').inputValue(), chosenBefore, 'Enter on a holiday chooses no day');
    assert.notEqual(chosenBefore, holiday);
    await page.keyboard.press('ArrowRight');
    const day = addDays(holiday, 1);
    assert.equal(await focusedDay(page), day);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('booking-widget #date').inputValue(), day, 'the date field follows the calendar');
    await page.locator('booking-widget .slot-input').first().waitFor({ state: 'attached' });
    assert.equal(await calendar(page).locator(`td[data-date="${day}"]`).getAttribute('aria-selected'), 'true');
    assert.equal(await focusedDay(page), day, 'picking keeps the focus in the grid');
    // The New patient type's hour-long slots: 8 between 09:00 and 17:00.
    assert.match(await page.locator('booking-widget #status').innerText(), /8 of 8 times free/);
    await checkState(page, 'calendar-slots');

    const slots = await call(app.url, 'GET', `/api/doctors/${cardiologist}/slots?date=${day}&appointment_type_id=${newPatientType}`);
    const wanted = slots.body.slots[1].start as string;
    await tabTo(page, 'the first time', (f) => f.type === 'radio');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(page))?.id, 'slot-1');
    await tabTo(page, 'the name', (f) => f.id === 'patient_name');
    await page.keyboard.type('Calendar Cai');
    const book = await tabTo(page, 'the book button', (f) => f.tag === 'button');
    assert.match(book.name, /^Book 10:00, /);
    await page.keyboard.press('Enter');
    await page.locator('booking-widget #confirmed').waitFor();

    const rows = await appointmentsOf(cardiologist, 'Calendar Cai');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].appointment_type_id, newPatientType);
    assert.equal(new Date(rows[0].appointment_time).toISOString(), wanted);
    assert.equal(new Date(rows[0].end_time).getTime() - new Date(rows[0].appointment_time).getTime(), 60 * 60_000, 'an hour, as the type lasts');
    await checkState(page, 'calendar-booked', false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('"First available" lists the earliest times of the filtered specialty and books the first with the keyboard', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/book`);
    await page.locator('booking-widget #doctor option', { hasText: cardiologistName }).waitFor({ state: 'attached' });

    // Without a filter the earliest time is the cardiologist's (Melbourne's morning comes first).
    const everyone = await call(app.url, 'GET', '/api/availability?limit=6');
    assert.equal(everyone.body.items[0].doctor_id, cardiologist);
    const expected = await call(app.url, 'GET', '/api/availability?specialty=Dermatology&limit=6');
    assert.equal(expected.status, 200);
    const earliest = expected.body.items[0];
    assert.equal(earliest.doctor_id, dermatologist);

    await tabTo(page, 'the specialty', (f) => f.id === 'specialty');
    await page.keyboard.type('Derm');
    await tabTo(page, 'First available', (f) => f.id === 'first-available');
    await page.keyboard.press('Enter');
    const offers = page.locator('booking-widget .offers button');
    await offers.first().waitFor();
    assert.equal(await offers.count(), expected.body.items.length);
    const texts = await offers.allInnerTexts();
    assert.ok(texts.every((t) => t.includes(dermatologistName) && !t.includes(cardiologistName)), texts.join(' | '));
    assert.match(texts[0], /09:00/);
    assert.match(texts[0], /UTC time/);
    assert.match(await page.locator('booking-widget #status').innerText(), /earliest free times in Dermatology, with 1 doctor/);
    await checkState(page, 'first-available');

    const first = await tabTo(page, 'the first offer', (f) => f.tag === 'button' && f.name.includes(dermatologistName));
    assert.match(first.name, /09:00/);
    await page.keyboard.press('Enter');
    await page.locator('booking-widget #patient_name').waitFor();
    await page.waitForFunction(() => {
      let el = document.activeElement as HTMLElement | null;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
      return el?.id === 'patient_name';
    });
    assert.equal(await page.locator('booking-widget #doctor').inputValue(), String(dermatologist));
    assert.equal(await page.locator('booking-widget #date').inputValue(), earliest.start.slice(0, 10));
    assert.equal(await page.locator('booking-widget .slot-input:checked').inputValue(), earliest.start, 'the offered time is chosen');
    assert.equal(await page.locator('booking-widget .offers').count(), 0, 'the list is closed');
    await checkState(page, 'first-available-details');

    await page.keyboard.type('First Fay');
    const book = await tabTo(page, 'the book button', (f) => f.tag === 'button');
    assert.match(book.name, /^Book 09:00, /);
    await page.keyboard.press('Enter');
    await page.locator('booking-widget #confirmed').waitFor();

    const rows = await appointmentsOf(dermatologist, 'First Fay');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'booked');
    assert.equal(rows[0].appointment_type_id, earliest.appointment_type_id);
    assert.equal(new Date(rows[0].appointment_time).toISOString(), earliest.start);
    await checkState(page, 'first-available-booked', false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});
