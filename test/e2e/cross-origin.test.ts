import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { launchBrowser, openPage, patientContext } from './browser';

/**
 * The page on one origin and the API on another, as in Kubernetes where each function is its
 * own Knative Service: the configured URLs reach the widget, the CSP lets it connect there,
 * and CORS (ALLOWED_ORIGINS) lets it read the answers, preflighted Idempotency-Key included.
 */
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let doctorId: number;
let pageOrigin: string;
let apiOrigin: string;

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  app = await startApp(db.appUrl);
  // Configuration is read on first use, so it can still name the port the server got.
  const { port } = new URL(app.url);
  pageOrigin = `http://127.0.0.1:${port}`;
  apiOrigin = `http://localhost:${port}`;
  Object.assign(process.env, { API_BASE_URL: apiOrigin, ALLOWED_ORIGINS: pageOrigin });
  doctorId = await addDoctor(db, { name: 'Dr Cross Origin', timezone: 'Australia/Melbourne' });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

test('a page on one origin books through an API on another', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    const apiCalls: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/api/')) apiCalls.push(`${req.method()} ${new URL(req.url()).origin}`);
    });
    await page.goto(`${pageOrigin}/book`);
    await page.locator('booking-widget #doctor option', { hasText: 'Dr Cross Origin' }).waitFor({ state: 'attached' });
    await page.locator('booking-widget #doctor').selectOption(String(doctorId));
    await page.locator('booking-widget #date').fill(futureDate(6));
    await page.locator('booking-widget label[for="slot-1"]').click();
    await page.locator('booking-widget #patient_name').fill('Far Away Fay');
    await page.locator('booking-widget [part~="book-button"]').click();
    await page.locator('booking-widget #confirmed').waitFor();

    const reference = (await page.locator('booking-widget #reference').innerText()).trim();
    const { rows } = await db.owner.query("SELECT patient_name FROM appointments WHERE reference_hash = sha256(convert_to($1, 'UTF8'))", [reference]);
    assert.deepEqual(rows, [{ patient_name: 'Far Away Fay' }]);
    assert.ok(apiCalls.length >= 3);
    assert.deepEqual([...new Set(apiCalls.map((c) => c.split(' ')[1]))], [apiOrigin], 'every API call went to the configured origin');
    assert.ok(apiCalls.includes(`POST ${apiOrigin}`));
    assert.deepEqual(problems.list, [], 'no CSP violation, no CORS error');
  } finally {
    await context.close();
  }
});
