import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { checkState, focused, launchBrowser, openPage, patientContext, tabTo } from './browser';

/**
 * The link of a notice e-mail, /manage#<reference>, in real Chromium on the real API: the
 * patient moves the appointment to another day and then cancels it, with the keyboard alone,
 * and the reference never leaves the browser except in the API calls that need it.
 */
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let doctorId: number;

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  app = await startApp(db.appUrl);
  doctorId = await addDoctor(db, { name: 'Dr Mara Manage', specialty: 'General practice', timezone: 'Europe/London' });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

test('from the e-mail link, a patient moves the appointment and cancels it with the keyboard alone', async () => {
  const day = futureDate(5);
  const later = futureDate(6);
  const slots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`)).body.slots;
  const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Molly Manage', doctor_id: doctorId, appointment_time: slots[0].start } });
  assert.equal(booked.status, 201);
  const reference = booked.body.reference;
  const laterSlots = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${later}`)).body.slots;

  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  const urls: string[] = [];
  page.on('request', (req) => urls.push(req.url() + ' ' + (req.headers()['referer'] ?? '')));
  try {
    await page.goto(`${app.url}/manage#${reference}`);
    await page.locator('booking-manage #appointment').waitFor();
    assert.match(await page.locator('booking-manage #appointment').innerText(), /Booked[\s\S]*Dr Mara Manage/);
    await checkState(page, 'manage-found');

    const dayField = await tabTo(page, 'the day', (f) => f.id === 'move-day');
    assert.equal(dayField.name, 'Day');
    // The focus is on the native date field (Tab reached it). Its segments follow the machine's
    // locale, not the page's, so the day is entered with fill, which types into the focused field.
    await page.locator('booking-manage #move-day').fill(later);
    await page.locator('booking-manage input[name="time"]').first().waitFor();
    const first = await tabTo(page, 'the first free time', (f) => f.type === 'radio');
    await page.keyboard.press('Space');
    assert.ok((await focused(page))?.checked, `${first.name} is chosen`);
    await tabTo(page, 'the move button', (f) => f.name === 'Move my appointment');
    await page.keyboard.press('Enter');
    await page.locator('booking-manage #manage-status', { hasText: 'Your appointment is moved to' }).waitFor();
    assert.equal((await focused(page))?.id, 'manage-status', 'the outcome takes the focus');
    const moved = await call(app.url, 'GET', `/api/appointments/${reference}`);
    assert.equal(moved.body.appointment_time, laterSlots[0].start, 'moved to the first free time of the later day');
    assert.equal(moved.body.id, booked.body.id, 'the same booking');
    const freed = (await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`)).body.slots[0];
    assert.equal(freed.available, true, 'the old time is free again');
    await checkState(page, 'manage-moved');

    await tabTo(page, 'the cancel button', (f) => f.name === 'Cancel this appointment');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page))?.name, 'No, keep it', 'the safe answer has the focus');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('booking-manage #manage-status', { hasText: 'Your appointment is cancelled.' }).waitFor();
    assert.equal((await call(app.url, 'GET', `/api/appointments/${reference}`)).body.status, 'cancelled');
    await checkState(page, 'manage-cancelled');

    // The fragment is never sent: the reference is only in the API calls that act on it.
    for (const line of urls) {
      if (line.includes(reference)) assert.match(line, new RegExp(`/api/appointments/${reference}(/reschedule)? `), line);
    }
    assert.ok(urls.some((u) => u.startsWith(`${app.url}/manage `)), 'the page itself was asked for without the reference');
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('without a reference the page says to use the e-mail link', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/manage`);
    await page.locator('booking-manage #manage-status', { hasText: 'link in your booking e-mail' }).waitFor();
    await checkState(page, 'manage-no-reference', false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});
