import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { checkState, focused, launchBrowser, openPage, patientContext } from './browser';

/**
 * <booking-widget> when the API fails: a 5xx, an answer lost on the way back, and the whole
 * service stopped in the middle of a booking. Each says so, offers "Try again", and trying
 * again never books twice.
 */
let db: TestDatabase;
let app: RunningApp;
let restarted: Server | undefined;
let browser: Browser;
let doctorId: number;
const doctorName = 'Dr Una Reliable';

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  app = await startApp(db.appUrl);
  doctorId = await addDoctor(db, { name: doctorName, timezone: 'Australia/Melbourne' });
});

after(async () => {
  await browser?.close();
  if (restarted) {
    restarted.closeAllConnections();
    await new Promise((resolve) => restarted!.close(resolve));
    const { closeDatabase } = await import('../../functions/core/db');
    await closeDatabase();
  } else {
    await app?.close();
  }
  await db?.drop();
});

const unreachable = /booking service isn't answering|can't reach the booking service/;

/** Doctor, day, the slot at `index` and a name, chosen as a patient would (clicks are fine here). */
async function fillBooking(page: Page, day: string, index: number, name: string): Promise<void> {
  await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });
  await page.locator('booking-widget #doctor').selectOption(String(doctorId));
  await page.locator('booking-widget #date').fill(day);
  await page.locator(`booking-widget label[for="slot-${index}"]`).click();
  await page.locator('booking-widget #patient_name').fill(name);
}

/** The bookings a name has, each as the SHA-256 of its reference (the database keeps only that). */
async function bookingsNamed(name: string): Promise<string[]> {
  const { rows } = await db.owner.query("SELECT encode(reference_hash, 'hex') AS hash FROM appointments WHERE patient_name = $1", [name]);
  return rows.map((r: { hash: string }) => r.hash);
}

const hashOf = (reference: string) => createHash('sha256').update(reference).digest('hex');

test('a 5xx while loading the doctors says so, and Try again recovers', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/503 \(Service Unavailable\)/]);
  try {
    let failing = true;
    await page.route('**/api/doctors', (route) =>
      failing
        ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"internal","message":"Something went wrong on our side. Please try again."}' })
        : route.continue(),
    );
    await page.goto(`${app.url}/`);
    const status = page.locator('booking-widget #status');
    await status.filter({ hasText: unreachable }).waitFor();
    assert.match(await status.innerText(), /load the list of doctors/);
    assert.equal(await page.locator('booking-widget #doctor option').count(), 1, 'no doctors to choose from');

    failing = false;
    await status.getByRole('button', { name: 'Try again' }).click();
    await page.locator('booking-widget #doctor option', { hasText: doctorName }).waitFor({ state: 'attached' });
    assert.doesNotMatch(await status.innerText(), unreachable);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('an answer lost on the way back: Try again shows the booking, made once under one Idempotency-Key', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/ERR_CONNECTION_RESET|ERR_FAILED/]);
  try {
    const keys: string[] = [];
    const replayed: string[] = [];
    let served = 0;
    await page.route('**/api/appointments', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (served++ === 0) {
        // The server books it; the browser never hears back.
        const response = await route.fetch();
        assert.equal(response.status(), 201);
        return route.abort('connectionreset');
      }
      const response = await route.fetch();
      replayed.push(response.headers()['idempotent-replayed'] ?? '');
      return route.fulfill({ response });
    });
    await page.goto(`${app.url}/book`);
    await fillBooking(page, futureDate(8), 3, 'Lost Answer Lee');
    await page.locator('booking-widget [part~="book-button"]').click();

    const status = page.locator('booking-widget #status');
    await status.filter({ hasText: unreachable }).waitFor();
    assert.match(await status.innerText(), /you won't be booked twice/);
    assert.equal((await bookingsNamed('Lost Answer Lee')).length, 1, 'the first request did book');

    await status.getByRole('button', { name: 'Try again' }).click();
    await page.locator('booking-widget #confirmed').waitFor();
    const reference = (await page.locator('booking-widget #reference').innerText()).trim();
    assert.deepEqual(await bookingsNamed('Lost Answer Lee'), [hashOf(reference)], 'still one booking, and the page shows it');
    assert.equal(keys.length, 2);
    assert.match(keys[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(keys[1], keys[0], 'Try again sends the same key');
    assert.deepEqual(replayed, ['true']);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('a booking still in flight (409 request_in_progress) is asked about again after Retry-After, under the same key', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/409 \(Conflict\)/]);
  try {
    const keys: string[] = [];
    await page.route('**/api/appointments', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (keys.length === 1) {
        return route.fulfill({
          status: 409,
          headers: { 'Retry-After': '1' },
          contentType: 'application/json',
          body: '{"error":"request_in_progress","message":"A request with this Idempotency-Key is still being processed. Retry shortly."}',
        });
      }
      return route.continue();
    });
    await page.goto(`${app.url}/book`);
    await fillBooking(page, futureDate(8), 6, 'Patient Quinn');
    await page.locator('booking-widget [part~="book-button"]').click();
    await page.locator('booking-widget #confirmed').waitFor();
    assert.equal(keys.length, 2);
    assert.equal(keys[1], keys[0]);
    assert.equal((await bookingsNamed('Patient Quinn')).length, 1);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('the API stops mid-session: booking says so with Try again, and once it is back Try again books', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/ERR_CONNECTION_REFUSED/]);
  try {
    await page.goto(`${app.url}/book`);
    await fillBooking(page, futureDate(9), 5, 'Patient Pat');
    const port = Number(new URL(app.url).port);
    await app.close();

    await page.locator('booking-widget [part~="book-button"]').click();
    const status = page.locator('booking-widget #status');
    await status.filter({ hasText: unreachable }).waitFor();
    assert.equal((await focused(page))?.id, 'status', 'the message takes the focus, so it is seen and read');
    assert.equal(await page.locator('booking-widget #confirmed').count(), 0);
    await checkState(page, 'error');

    // Back on the same address, as after a restart.
    const { allFunctions } = await import('../../functions/all');
    const { createServer } = await import('../../functions/core/server');
    restarted = createServer(allFunctions);
    await new Promise<void>((resolve) => restarted!.listen(port, '127.0.0.1', resolve));

    await page.keyboard.press('Tab');
    assert.equal((await focused(page))?.name, 'Try again');
    await page.keyboard.press('Enter');
    await page.locator('booking-widget #confirmed').waitFor();
    const reference = (await page.locator('booking-widget #reference').innerText()).trim();
    assert.deepEqual(await bookingsNamed('Patient Pat'), [hashOf(reference)]);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});
