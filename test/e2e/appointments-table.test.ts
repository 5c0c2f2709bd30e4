import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { call, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { checkState, launchBrowser, openPage, patientContext } from './browser';
import { signInAs, startAppWithSignIn } from './sign-in';

/** <appointments-table>: the staff listing in real Chromium against the real API. */
let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let melbourne: number;
let london: number;
const password = 'demo-password-for-the-e2e-test';
const day = futureDate(12);

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  // Staff sign in as themselves (issue 10), through the development OpenID provider.
  ({ app } = await startAppWithSignIn(db.appUrl, { password, clinicianDoctorId: 1 }));
  melbourne = await addDoctor(db, { name: 'Dr Mel Bourne', timezone: 'Australia/Melbourne' });
  london = await addDoctor(db, { name: 'Dr Lon Don', timezone: 'Europe/London' });
  const book = async (doctorId: number, date: string, index: number, name: string, contact: Record<string, string> = {}) => {
    const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${date}`);
    const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: slots.body.slots[index].start, ...contact } });
    assert.equal(res.status, 201);
    return res.body.reference as string;
  };
  // Melbourne's morning is the evening before in UTC: a UTC day would split these.
  await book(melbourne, day, 0, 'Mel One', { patient_email: 'mel.one@example.test', patient_phone: '+61 3 9000 0001' });
  await book(melbourne, day, 1, 'Mel Two');
  const cancelled = await book(melbourne, day, 2, 'Mel Three');
  await book(melbourne, futureDate(13), 0, 'Mel Next Day');
  await book(london, day, 0, 'Lon One');
  assert.equal((await call(app.url, 'DELETE', `/api/appointments/${cancelled}`)).status, 200);
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

const table = (page: Page) => page.locator('appointments-table');

async function rows(page: Page): Promise<string[][]> {
  return table(page)
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td:not(.row-actions)'), (td) => td.textContent!.trim())));
}

async function show(page: Page): Promise<void> {
  await table(page).getByRole('button', { name: 'Show appointments' }).click();
  await table(page).locator('#status').filter({ hasText: /^ℹ (Page \d+:|No appointments)/ }).waitFor();
}

test('staff page through one doctor\'s day on that doctor\'s clock; the sign-in stays in memory', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/401 \(Unauthorized\)/]);
  try {
    await signInAs(page, app.url, 'reception', password);
    await table(page).locator('#doctor option', { hasText: 'Dr Mel Bourne' }).waitFor({ state: 'attached' });
    await table(page).evaluate((el) => ((el as HTMLElement & { pageSize: number }).pageSize = 2));
    await table(page).getByLabel('Doctor').selectOption(String(melbourne));
    await table(page).getByLabel('Day').fill(day);
    await show(page);
    const shown = await shortDay(page, day);
    assert.deepEqual(await rows(page), [
      // Reception sees how to reach each patient on the day's list.
      [`${shown}, 09:00`, 'Mel One', 'Dr Mel Bourne', 'Booked', '+61 3 9000 0001, mel.one@example.test'],
      [`${shown}, 09:30`, 'Mel Two', 'Dr Mel Bourne', 'Booked', 'None given'],
    ]);
    assert.equal(await table(page).getByRole('button', { name: 'Previous page' }).getAttribute('aria-disabled'), 'true');
    await checkState(page, 'staff');

    await table(page).getByRole('button', { name: 'Next page' }).click();
    await table(page).locator('#status', { hasText: 'Page 2: 1 appointment.' }).waitFor();
    assert.deepEqual(await rows(page), [[`${shown}, 10:00`, 'Mel Three', 'Dr Mel Bourne', 'Cancelled', 'None given']]);
    assert.equal(await table(page).getByRole('button', { name: 'Next page' }).getAttribute('aria-disabled'), 'true');

    await table(page).getByRole('button', { name: 'Previous page' }).click();
    await table(page).locator('#status', { hasText: 'Page 1: 2 appointments.' }).waitFor();
    assert.deepEqual((await rows(page)).map((r) => r[1]), ['Mel One', 'Mel Two']);

    await table(page).getByLabel('Status').selectOption('cancelled');
    await show(page);
    assert.deepEqual((await rows(page)).map((r) => r[1]), ['Mel Three']);

    await table(page).getByLabel('Doctor').selectOption('');
    await table(page).getByLabel('Status').selectOption('');
    await table(page).getByLabel('Day').fill('');
    await show(page);
    assert.equal((await rows(page)).length, 2, 'all doctors, every day: a page of two');

    const kept = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, url: location.href }));
    assert.deepEqual(kept, { local: 0, session: 0, cookie: '', url: `${app.url}/staff` });
    assert.ok((await context.cookies()).every((c) => c.httpOnly), "only the issuer's own cookies, none readable by script");
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

/** The short day the table shows, formatted by the browser itself. */
function shortDay(page: Page, date: string): Promise<string> {
  return page.evaluate((d) => new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(`${d}T12:00:00Z`)), date);
}
