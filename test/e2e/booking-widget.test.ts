import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { checkState, focused, launchBrowser, openPage, patientContext, tabTo } from './browser';

/**
 * <booking-widget> in real Chromium against the real API on a real PostgreSQL: a patient
 * books with the keyboard alone, looks the booking up and cancels it, and loses a race for a
 * slot. Every state it passes through is checked with axe and photographed.
 */
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let doctorId: number;
const doctorName = 'Dr Ada Keyboard';
const date = futureDate(9);

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  app = await startApp(db.appUrl);
  // Melbourne is never UTC, so the patient (in UTC) sees both clocks.
  doctorId = await addDoctor(db, { name: doctorName, specialty: 'General practice', timezone: 'Australia/Melbourne', slotMinutes: 30 });
  await addDoctor(db, { name: 'Dr Zed Other', specialty: 'Dermatology', timezone: 'UTC' });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

/**
 * Chromium's date control takes its digits in the order of its own UI language (en-US here,
 * MM DD YYYY), not the page's locale; a different order fails the value check right after.
 */
const typedDate = (iso: string) => `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(0, 4)}`;

function widgetText(page: Page, selector: string): Promise<string> {
  return page.locator(`booking-widget ${selector}`).innerText();
}

async function slotsOf(day: string) {
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`);
  assert.equal(res.status, 200);
  return res.body.slots as Array<{ start: string; available: boolean }>;
}

async function appointmentRows(reference?: string) {
  const { rows } = await db.owner.query(
    `SELECT patient_name, patient_email, patient_phone, patient_contact IS NOT NULL AS contact_sealed, status, appointment_time FROM appointments
     WHERE doctor_id = $1 ${reference ? "AND reference_hash = sha256(convert_to($2, 'UTF8'))" : ''} ORDER BY id`,
    reference ? [doctorId, reference] : [doctorId],
  );
  return rows;
}

test('a patient books a slot with the keyboard alone, and copies the reference', async () => {
  const context = await browser.newContext(patientContext);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/book`);
    await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });
    await checkState(page, 'empty');

    await tabTo(page, 'the doctor list', (f) => f.id === 'doctor');
    await page.keyboard.type('Dr Ada');
    assert.equal((await focused(page))?.value, String(doctorId), 'typing a name picks that doctor');

    await tabTo(page, 'the date', (f) => f.id === 'date');
    await page.keyboard.type(typedDate(date));
    assert.equal((await focused(page))?.value, date);
    await page.locator('booking-widget .slot-input').first().waitFor({ state: 'attached' });
    assert.match(await widgetText(page, '#status'), /16 of 16 times free/);
    await checkState(page, 'slots');

    // The doctor's clock first, the patient's below it: 09:00 in Melbourne is the evening before in UTC.
    const firstSlot = await page.locator('booking-widget label[for="slot-0"]').innerText();
    assert.match(firstSlot, /^09:00\s+your time\s+(22|23):00 \w{3}$/);

    // One Tab stop for the whole group of times; arrows move within it, Space chooses.
    const first = await tabTo(page, 'the first time', (f) => f.type === 'radio');
    assert.equal(first.id, 'slot-0');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const chosen = await focused(page);
    assert.equal(chosen?.id, 'slot-2');
    assert.equal(chosen?.checked, true);
    const wanted = (await slotsOf(date))[2].start;

    await tabTo(page, 'the name', (f) => f.id === 'patient_name');
    await page.keyboard.type('Keyboard Kate');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kate@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('+61 3 9000 0000');
    await page.evaluate(() =>
      document.addEventListener('booking-confirmed', (e) => ((window as unknown as { confirmed: string }).confirmed = (e as CustomEvent).detail.appointment.reference)),
    );
    const book = await tabTo(page, 'the book button', (f) => f.tag === 'button');
    assert.match(book.name, /^Book 10:00, \w{3} \d+ \w{3}$/);
    await page.keyboard.press('Enter');

    await page.locator('booking-widget #confirmed').waitFor();
    assert.equal((await focused(page))?.id, 'confirmed', 'the confirmation takes the focus');
    const reference = (await widgetText(page, '#reference')).trim();
    assert.match(reference, /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(await page.evaluate(() => (window as unknown as { confirmed: string }).confirmed), reference, 'booking-confirmed reached the document');
    const rows = await appointmentRows(reference);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].patient_name, 'Keyboard Kate');
    assert.equal(rows[0].patient_email, null, 'the e-mail is never stored in clear');
    assert.equal(rows[0].contact_sealed, true, 'it is stored sealed');
    assert.equal(rows[0].status, 'booked');
    assert.equal(new Date(rows[0].appointment_time).toISOString(), wanted);
    assert.match(await widgetText(page, '[part="confirmation"]'), /10:00 \(Melbourne time\)/);
    await checkState(page, 'confirmation');

    const copy = await tabTo(page, 'the copy button', (f) => f.tag === 'button');
    assert.equal(copy.name, 'Copy reference');
    await page.keyboard.press('Space');
    await page.locator('booking-widget #status', { hasText: 'Reference copied' }).waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), reference);

    // The time is gone for the next patient.
    assert.equal((await slotsOf(date))[2].available, false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('a patient looks a booking up by its reference and cancels it', async () => {
  const slot = (await slotsOf(date)).find((s) => s.available)!;
  const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Lookup Lou', doctor_id: doctorId, appointment_time: slot.start } });
  assert.equal(booked.status, 201);
  const reference: string = booked.body.reference;

  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/404 \(Not Found\)/]);
  try {
    await page.goto(`${app.url}/`);
    await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });

    // A reference that is not one is told so, without a hint of whose bookings exist.
    await tabTo(page, 'the reference', (f) => f.id === 'lookup-reference');
    await page.keyboard.type('x'.repeat(22));
    await page.keyboard.press('Enter');
    await page.locator('booking-widget #lookup-status', { hasText: 'No booking has that reference' }).waitFor();

    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page))?.tag, 'button', 'the failed look-up put the focus on its message, after the form');
    await tabTo(page, 'the reference', (f) => f.id === 'lookup-reference', { back: true });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`  ${reference} `);
    await page.keyboard.press('Enter');
    await page.locator('booking-widget [part="lookup-result"]').waitFor();
    const result = await widgetText(page, '[part="lookup-result"]');
    assert.match(result, /Booked/);
    assert.match(result, new RegExp(doctorName));
    assert.match(result, /Lookup Lou/);
    await checkState(page, 'lookup');

    await tabTo(page, 'the cancel button', (f) => f.name === 'Cancel this appointment');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page))?.name, 'No, keep it', 'the safe answer has the focus');
    assert.equal((await appointmentRows(reference))[0].status, 'booked', 'asking is not cancelling');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page))?.name, 'Yes, cancel it');
    await page.evaluate(() =>
      document.addEventListener('booking-cancelled', (e) => ((window as unknown as { cancelled: string }).cancelled = (e as CustomEvent).detail.appointment.status)),
    );
    await page.keyboard.press('Enter');

    await page.locator('booking-widget #lookup-status', { hasText: 'Your appointment is cancelled.' }).waitFor();
    assert.match(await widgetText(page, '[part="lookup-result"]'), /Cancelled/);
    assert.equal(await page.locator('booking-widget #cancel').count(), 0, 'a cancelled booking offers no second cancel');
    assert.equal((await appointmentRows(reference))[0].status, 'cancelled');
    assert.equal(await page.evaluate(() => (window as unknown as { cancelled: string }).cancelled), 'cancelled', 'booking-cancelled reached the document');
    assert.equal((await slotsOf(date)).find((s) => s.start === slot.start)?.available, true, 'the time is free again');
    await checkState(page, 'lookup-cancelled', false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('two patients race for one slot: one is booked, the other is told it was just taken and sees fresh times', async () => {
  const day = futureDate(10);
  const contexts = await Promise.all([browser.newContext(patientContext), browser.newContext(patientContext)]);
  try {
    const pages = await Promise.all(
      contexts.map(async (context, i) => {
        const { page, problems } = await openPage(context, [/409 \(Conflict\)/]);
        await page.goto(`${app.url}/book`);
        await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });
        await page.locator('booking-widget #doctor').selectOption(String(doctorId));
        await page.locator('booking-widget #date').fill(day);
        await page.locator('booking-widget label[for="slot-4"]').click();
        await page.locator('booking-widget #patient_name').fill(`Racer ${i + 1}`);
        return { page, problems };
      }),
    );
    const start = (await slotsOf(day))[4].start;
    await Promise.all(pages.map(({ page }) => page.locator('booking-widget [part~="book-button"]').click()));

    const outcomes = await Promise.all(
      pages.map(({ page }) =>
        Promise.race([
          page.locator('booking-widget #confirmed').waitFor().then(() => 'booked'),
          page.locator('booking-widget #status', { hasText: 'just taken' }).waitFor().then(() => 'lost'),
        ]),
      ),
    );
    assert.deepEqual([...outcomes].sort(), ['booked', 'lost']);
    const loser = pages[outcomes.indexOf('lost')].page;
    assert.match(await widgetText(loser, '#status'), /^! Sorry, (\d\d:\d\d) was just taken by someone else\. The times below are up to date: please choose another\.$/);
    // The times were fetched again: the lost one is now shown as booked and cannot be chosen.
    await loser.locator('booking-widget #slot-4:disabled').waitFor({ state: 'attached', timeout: 5000 });
    assert.match(await loser.locator('booking-widget label[for="slot-4"]').innerText(), /booked/);
    assert.equal(await loser.locator('booking-widget #slot-4').isChecked(), false);
    assert.equal(await loser.locator('booking-widget #patient_name').inputValue(), `Racer ${outcomes.indexOf('lost') + 1}`, 'what the loser typed is kept');

    const { rows } = await db.owner.query("SELECT patient_name FROM appointments WHERE doctor_id = $1 AND appointment_time = $2 AND status = 'booked'", [doctorId, start]);
    assert.deepEqual(rows.map((r) => r.patient_name), [`Racer ${outcomes.indexOf('booked') + 1}`]);
    await checkState(loser, 'slot-taken');
    for (const { problems } of pages) assert.deepEqual(problems.list, []);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
