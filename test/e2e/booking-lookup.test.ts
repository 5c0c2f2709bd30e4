import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { checkState, focused, launchBrowser, openPage, patientContext, tabTo } from './browser';

/**
 * <booking-lookup> on a page of its own (a clinic's "manage my booking" page), in real
 * Chromium against the real API: found and cancelled with the keyboard alone, checked with
 * axe; and, inside <booking-widget>, still themed through the widget's parts.
 */
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let doctorId: number;
const doctorName = 'Dr Lena Lookup';

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  app = await startApp(db.appUrl);
  doctorId = await addDoctor(db, { name: doctorName, specialty: 'Cardiology', timezone: 'Australia/Melbourne' });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

async function book(name: string, days: number): Promise<string> {
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  const slot = slots.body.slots.find((s: { available: boolean }) => s.available);
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: slot.start } });
  assert.equal(res.status, 201);
  return res.body.reference;
}

/** The status the API answers for `reference` (the database keeps only the reference's hash). */
async function statusOf(reference: string): Promise<string> {
  const res = await call(app.url, 'GET', `/api/appointments/${reference}`);
  assert.equal(res.status, 200);
  return res.body.status;
}

/** The booking page with its widget swapped for a lone <booking-lookup>, defined by the page's own script. */
async function lookupPage(page: Page): Promise<void> {
  await page.goto(`${app.url}/book`);
  await page.evaluate(async () => {
    await customElements.whenDefined('booking-lookup');
    document.querySelector('booking-widget')!.replaceWith(document.createElement('booking-lookup'));
  });
  await page.locator('booking-lookup #lookup-reference').waitFor();
  assert.equal(await page.locator('booking-widget').count(), 0);
}

test('on its own, a booking is found and cancelled with the keyboard alone', async () => {
  const reference = await book('Solo Sol', 5);
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await lookupPage(page);
    const doctorRequests: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/api/doctors') doctorRequests.push(req.url());
    });
    await checkState(page, 'lookup-alone-empty', false);

    const field = await tabTo(page, 'the reference', (f) => f.id === 'lookup-reference');
    assert.equal(field.name, 'Booking reference');
    await page.keyboard.type(reference);
    await page.keyboard.press('Enter');
    const result = page.locator('booking-lookup [part="lookup-result"]');
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /Booked/);
    assert.match(text, /Solo Sol/);
    assert.match(text, new RegExp(`${doctorName} \\(Cardiology\\)`), 'with no list given, it loads the doctors to name the one booked');
    assert.match(text, /\(Melbourne time\)/);
    assert.equal(doctorRequests.length, 1);
    assert.match(await page.locator('booking-lookup #lookup-status').innerText(), /Found your booking\./);
    await checkState(page, 'lookup-alone-found');

    await tabTo(page, 'the cancel button', (f) => f.name === 'Cancel this appointment');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page))?.name, 'No, keep it', 'the safe answer has the focus');
    assert.equal(await statusOf(reference), 'booked', 'asking is not cancelling');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page))?.name, 'Yes, cancel it');
    await page.evaluate(() =>
      document.addEventListener('booking-cancelled', (e) => ((window as unknown as { cancelled: string }).cancelled = (e as CustomEvent).detail.appointment.reference)),
    );
    await page.keyboard.press('Enter');

    await page.locator('booking-lookup #lookup-status', { hasText: 'Your appointment is cancelled.' }).waitFor();
    assert.equal((await focused(page))?.id, 'lookup-status', 'the outcome takes the focus');
    assert.match(await result.innerText(), /Cancelled/);
    assert.equal(await page.locator('booking-lookup #cancel').count(), 0);
    assert.equal(await statusOf(reference), 'cancelled');
    assert.equal(await page.evaluate(() => (window as unknown as { cancelled: string }).cancelled), reference, 'booking-cancelled reached the document');
    assert.equal(doctorRequests.length, 1, 'the doctors are loaded once');
    await checkState(page, 'lookup-alone-cancelled');
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('on its own, an empty reference is asked for and an unknown one is told so', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/404 \(Not Found\)/]);
  try {
    await lookupPage(page);
    await tabTo(page, 'the reference', (f) => f.id === 'lookup-reference');
    await page.keyboard.press('Enter');
    await page.locator('booking-lookup #lookup-status', { hasText: 'Enter your booking reference first.' }).waitFor();
    assert.equal((await focused(page))?.id, 'lookup-reference', 'the focus stays on the field to fill in');

    await page.keyboard.type('y'.repeat(22));
    await page.keyboard.press('Enter');
    await page.locator('booking-lookup #lookup-status', { hasText: 'No booking has that reference' }).waitFor();
    assert.equal((await focused(page))?.id, 'lookup-status');
    assert.equal(await page.locator('booking-lookup [part="lookup-result"]').count(), 0);
    await checkState(page, 'lookup-alone-unknown', false);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test("inside <booking-widget>, the lookup's parts are the widget's and its theme reaches in", async () => {
  const reference = await book('Themed Theo', 6);
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/book`);
    await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });
    // A constructed sheet: the page's CSP (style-src 'self') rightly refuses an inline <style>.
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        booking-widget { --booking-accent: rgb(4, 5, 6); }
        booking-widget::part(lookup-result) { outline: 4px solid rgb(1, 2, 3); }
        booking-widget::part(heading) { letter-spacing: 3px; }
      `);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    await page.locator('booking-widget #lookup-reference').fill(reference);
    await page.locator('booking-widget #lookup-reference').press('Enter');
    const result = page.locator('booking-widget [part="lookup-result"]');
    await result.waitFor();
    assert.equal(await result.evaluate((el) => getComputedStyle(el).outlineColor), 'rgb(1, 2, 3)');
    const headings = page.locator('booking-widget [part="heading"]');
    assert.equal(await headings.count(), 2);
    for (const spacing of await headings.evaluateAll((els) => els.map((el) => getComputedStyle(el).letterSpacing))) assert.equal(spacing, '3px');
    const find = page.locator('booking-widget booking-lookup button[type="submit"]');
    assert.equal(await find.evaluate((el) => getComputedStyle(el).borderTopColor), 'rgb(4, 5, 6)');
    assert.match(await result.innerText(), new RegExp(doctorName), "the widget's doctors name the doctor");
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('inside <booking-widget>, cancelling a booking frees its time in the times on show', async () => {
  const day = futureDate(7);
  const reference = await book('Freed Fran', 7);
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/book`);
    await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });
    await page.locator('booking-widget #doctor').selectOption(String(doctorId));
    await page.locator('booking-widget #date').fill(day);
    await page.locator('booking-widget #slot-0:disabled').waitFor({ state: 'attached' });

    await page.locator('booking-widget #lookup-reference').fill(reference);
    await page.locator('booking-widget #lookup-reference').press('Enter');
    await page.locator('booking-widget #cancel').click();
    await page.locator('booking-widget button', { hasText: 'Yes, cancel it' }).click();
    await page.locator('booking-widget #lookup-status', { hasText: 'Your appointment is cancelled.' }).waitFor();
    await page.locator('booking-widget #slot-0:not(:disabled)').waitFor({ state: 'attached', timeout: 5000 });
    assert.doesNotMatch(await page.locator('booking-widget label[for="slot-0"]').innerText(), /booked/);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});
