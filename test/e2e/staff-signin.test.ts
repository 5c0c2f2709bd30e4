import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, type TestDatabase } from '../helpers/db';
import { launchBrowser, openPage, patientContext } from './browser';
import { signInAs, startAppWithSignIn } from './sign-in';

/** /staff signs in through the development OpenID provider, in real Chromium, per role. */
const PASSWORD = 'e2e-demo-staff-password';

let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let hart: number;
let grant: number;
const timings: Record<string, number[]> = {};

/**
 * An appointment at `local` o'clock, `dayOffset` days from today on the doctor's own clock,
 * written as the owner: the booking API offers no slot in the past, and a test at 23:50 UTC
 * still needs a "today". The reference column is the plain one or, once patient data is
 * protected at rest (migration 007), its hash.
 */
async function appointment(doctorId: number, name: string, local: string, dayOffset = 0): Promise<void> {
  const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'appointments' AND column_name = 'reference'");
  const [column, value] = rows[0].n === 1 ? ['reference', randomBytes(16).toString('base64url')] : ['reference_hash', randomBytes(32)];
  await db.owner.query(
    `WITH t AS (
       SELECT (((now() AT TIME ZONE d.timezone)::date + $4::integer) + $3::time) AT TIME ZONE d.timezone AS at FROM doctors d WHERE d.id = $2)
     INSERT INTO appointments (${column}, patient_name, doctor_id, appointment_time, end_time)
     SELECT $1, $5, $2, t.at, t.at + interval '15 minutes' FROM t`,
    [value, doctorId, local, dayOffset, name],
  );
}

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  hart = await addDoctor(db, { name: 'Dr Amelia Hart', timezone: 'Europe/London' });
  grant = await addDoctor(db, { name: 'Dr Oliver Grant', timezone: 'UTC' });
  ({ app } = await startAppWithSignIn(db.appUrl, { password: PASSWORD, clinicianDoctorId: hart }));
  await appointment(hart, 'Hart Today One', '09:00');
  await appointment(hart, 'Hart Today Two', '09:30');
  await appointment(hart, 'Hart Tomorrow', '09:00', 1);
  await appointment(grant, 'Grant Today', '10:00');
  await appointment(grant, 'Grant Yesterday', '10:00', -1);
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
  for (const [who, ms] of Object.entries(timings)) console.log(`sign-in as ${who}: ${ms.map((m) => `${Math.round(m)} ms`).join(', ')}`);
});

const table = (page: Page) => page.locator('appointments-table');

async function shownNames(page: Page): Promise<string[]> {
  await table(page).locator('#status').filter({ hasText: /^ℹ (Page \d+:|No appointments)/ }).waitFor();
  const names = await table(page).locator('tbody tr td:nth-child(2)').allTextContents();
  return names.map((n) => n.trim()).sort();
}

/** Names of the appointments on today's UTC calendar day: what "all doctors, today" lists. */
async function todayUtc(): Promise<string[]> {
  const { rows } = await db.owner.query(
    "SELECT patient_name FROM appointments WHERE appointment_time >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND appointment_time < (date_trunc('day', now() AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC' ORDER BY 1",
  );
  return rows.map((r) => r.patient_name);
}

async function noTokenKept(page: Page): Promise<void> {
  const kept = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, url: location.href }));
  assert.deepEqual(kept, { local: 0, session: 0, cookie: '', url: `${app.url}/staff` }, 'no token in storage, a script-readable cookie or the URL');
}

test('reception signs in and sees today for every doctor', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await page.goto(`${app.url}/staff`);
    assert.equal(await table(page).locator('#doctor').isVisible(), false, 'no listing before signing in');
    (timings.reception ??= []).push(await signInAs(page, app.url, 'reception', PASSWORD));
    assert.match(await table(page).locator('#signed-in-as').innerText(), /Front Desk \(reception\)/);
    const names = await shownNames(page);
    assert.deepEqual(names, await todayUtc());
    assert.ok(names.includes('Grant Today') && names.includes('Hart Today One'), names.join());
    assert.equal(await table(page).getByLabel('Doctor').inputValue(), '', 'all doctors');
    assert.equal(await table(page).getByLabel('Day').inputValue(), new Date().toISOString().slice(0, 10));
    await noTokenKept(page);
    assert.ok((await context.cookies()).every((c) => c.httpOnly), 'only the issuer\'s own cookies, none readable by script');
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test("the clinician signs in and sees only Dr Hart's day, on her clock; sign out forgets the sign-in", async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context, [/status of 403 \(Forbidden\)/]);
  try {
    (timings.clinician ??= []).push(await signInAs(page, app.url, 'clinician', PASSWORD));
    assert.match(await table(page).locator('#signed-in-as').innerText(), /Dr Amelia Hart \(clinician\)/);
    assert.deepEqual(await shownNames(page), ['Hart Today One', 'Hart Today Two']);
    assert.equal(await table(page).getByLabel('Doctor').inputValue(), String(hart));
    assert.equal(await table(page).locator('#doctor option', { hasText: 'All doctors' }).count(), 0);
    const londonToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    assert.equal(await table(page).getByLabel('Day').inputValue(), londonToday);

    // Asking for another doctor is refused by the server, whatever the page offers.
    await table(page).evaluate((el, id) => {
      const select = el.shadowRoot!.querySelector<HTMLSelectElement>('#doctor')!;
      select.append(new Option('forced', String(id)));
      select.value = String(id);
      select.dispatchEvent(new Event('change'));
    }, grant);
    await table(page).getByRole('button', { name: 'Show appointments' }).click();
    await table(page).locator('#status', { hasText: "Clinicians see their own doctor's appointments only." }).waitFor();
    await noTokenKept(page);

    await table(page).getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click(); // the issuer's own sign-out page
    await page.waitForURL(`${app.url}/staff`);
    await table(page).getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await table(page).locator('tbody tr').count(), 0);
    // The issuer's session ended too: signing in asks for the password again.
    await table(page).getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Password').waitFor();
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('a wrong password stays on the sign-in page and signs nobody in', async () => {
  const context = await browser.newContext(patientContext);
  const { page } = await openPage(context, [/401 \(Unauthorized\)/]);
  try {
    await page.goto(`${app.url}/staff`);
    await table(page).getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill('reception');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    assert.ok(!page.url().startsWith(app.url));
  } finally {
    await context.close();
  }
});

test('sign-in takes (measured, not asserted): a second round per role', async () => {
  for (const who of ['reception', 'clinician']) {
    const context = await browser.newContext(patientContext);
    const { page } = await openPage(context);
    try {
      (timings[who] ??= []).push(await signInAs(page, app.url, who, PASSWORD));
      await shownNames(page);
    } finally {
      await context.close();
    }
  }
});
