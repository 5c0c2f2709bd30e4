import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { checkState, focused, launchBrowser, openPage, patientContext, tabTo } from './browser';
import { signInAs, startAppWithSignIn } from './sign-in';

/**
 * The front desk's day on /staff in real Chromium against the real API (issue 10): reception
 * opens an appointment, moves the visit on, writes a note, cancels one for a patient and books
 * a walk-in; an admin reads all of it in the audit trail; a clinician gets neither tab and only
 * their own doctor's day. Each tab passes axe, and the tabs work from the keyboard.
 */
const PASSWORD = 'e2e-front-desk-password';

let db: TestDatabase;
let app: RunningApp;
let browser: Browser;
let hart: number;
let grant: number;
const ids: Record<string, number> = {};

/** An appointment today (UTC doctors: the listing's "today" is the UTC day), written as the owner. */
async function appointment(doctorId: number, name: string, local: string, contact: { email?: string; phone?: string } = {}): Promise<number> {
  const { rows } = await db.owner.query(
    `INSERT INTO appointments (reference_hash, patient_name, patient_email, patient_phone, doctor_id, appointment_time, end_time)
     SELECT $1, $2, $3, $4, $5, t.at, t.at + interval '15 minutes' FROM (SELECT ((now() AT TIME ZONE 'UTC')::date + $6::time) AT TIME ZONE 'UTC' AS at) t RETURNING id`,
    [randomBytes(32), name, contact.email ?? null, contact.phone ?? null, doctorId, local],
  );
  return Number(rows[0].id);
}

before(async () => {
  [db, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  hart = await addDoctor(db, { name: 'Dr Amelia Hart', timezone: 'UTC' });
  grant = await addDoctor(db, { name: 'Dr Oliver Grant', timezone: 'UTC' });
  ({ app } = await startAppWithSignIn(db.appUrl, { password: PASSWORD, clinicianDoctorId: hart }));
  ids.visit = await appointment(hart, 'Vera Visit', '00:00', { email: 'vera@example.org', phone: '+44 20 7946 0001' });
  ids.cancel = await appointment(hart, 'Carl Cancel', '00:20');
  ids.grant = await appointment(grant, 'Greta Grant', '00:15');
  ids.clinic = await appointment(hart, 'Cleo Clinic', '00:40');
});

after(async () => {
  await browser?.close();
  await app?.close();
  await db?.drop();
});

const table = (page: Page) => page.locator('appointments-table');
const panel = (page: Page) => table(page).locator('visit-panel');

async function listed(page: Page): Promise<void> {
  await table(page).locator('#status').filter({ hasText: /^ℹ (Page \d+:|No appointments)/ }).waitFor();
}

function row(page: Page, name: string): Locator {
  return table(page).locator('tbody tr').filter({ hasText: name });
}

async function tabNames(page: Page): Promise<string[]> {
  return (await table(page).getByRole('tab').allTextContents()).map((t) => t.trim());
}

async function auditOf(id: number): Promise<Array<{ action: string; actor_sub: string; actor_name: string; actor_role: string; request_id: string | null }>> {
  const { rows } = await db.owner.query('SELECT action, actor_sub, actor_name, actor_role, request_id FROM staff_audit WHERE $1 = ANY (appointment_ids) AND action <> $2 ORDER BY id', [id, 'appointments.list']);
  return rows;
}

const count = (rows: Array<{ action: string }>, action: string) => rows.filter((r) => r.action === action).length;

test('reception: opens an appointment, marks Arrived then Seen, adds a note, cancels another with a reason, books a walk-in', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await signInAs(page, app.url, 'reception', PASSWORD);
    await listed(page);
    assert.deepEqual(await tabNames(page), ['Appointments', 'Book for a patient']);
    await checkState(page, 'front-desk-appointments', false);

    // Open by keyboard: focus the row's button and press Enter.
    await row(page, 'Vera Visit').getByRole('button', { name: /^Open/ }).focus();
    await page.keyboard.press('Enter');
    await panel(page).locator('#visit-current-status', { hasText: 'Booked' }).waitFor();
    assert.equal((await focused(page))?.id, 'visit-heading', 'focus moves to the opened appointment');
    assert.equal(await panel(page).locator('#visit-email').innerText(), 'vera@example.org', 'reception sees the contact');
    assert.equal(await panel(page).locator('#visit-phone').innerText(), '+44 20 7946 0001');
    await panel(page).locator('#no-notes').waitFor();
    await checkState(page, 'front-desk-visit');

    await panel(page).getByRole('button', { name: 'Arrived' }).click();
    await panel(page).locator('#visit-current-status', { hasText: 'Arrived' }).waitFor();
    await row(page, 'Vera Visit').locator('td', { hasText: /^Arrived$/ }).waitFor(); // the list refreshed
    assert.equal(await panel(page).getByRole('button', { name: 'Arrived' }).count(), 0, 'no second check-in');

    await panel(page).getByRole('button', { name: 'Seen' }).click();
    await panel(page).locator('#visit-current-status', { hasText: 'Seen' }).waitFor();
    await row(page, 'Vera Visit').locator('td', { hasText: /^Seen$/ }).waitFor();
    assert.equal(await panel(page).getByRole('group', { name: 'Change the status' }).count(), 0, 'a visit that was seen goes nowhere');

    await panel(page).getByLabel('New note').fill('Prefers the morning; bring last year\'s results.');
    await panel(page).getByRole('button', { name: 'Add note' }).click();
    await panel(page).locator('ul.notes li', { hasText: "bring last year's results" }).waitFor();
    assert.match(await panel(page).locator('ul.notes li').first().innerText(), /Front Desk/);

    await panel(page).getByRole('button', { name: 'Close' }).click();
    assert.match((await focused(page))?.name ?? '', /^Open the appointment of Vera Visit/, 'focus goes back to the row it came from');

    // Cancel on the patient's behalf: a reason is needed, and kept as a note.
    await row(page, 'Carl Cancel').getByRole('button', { name: /^Open/ }).click();
    await panel(page).locator('#visit-current-status', { hasText: 'Booked' }).waitFor();
    await panel(page).getByRole('button', { name: 'Cancel appointment' }).click();
    await panel(page).getByRole('button', { name: 'Confirm: cancel appointment' }).click();
    await panel(page).locator('#visit-status', { hasText: 'Say why' }).waitFor();
    await panel(page).getByLabel('Reason for cancelling').fill('Patient phoned: unwell');
    await panel(page).getByRole('button', { name: 'Confirm: cancel appointment' }).click();
    await panel(page).locator('#visit-current-status', { hasText: 'Cancelled' }).waitFor();
    await panel(page).locator('ul.notes li', { hasText: 'Cancelled: Patient phoned: unwell' }).waitFor();
    await row(page, 'Carl Cancel').locator('td', { hasText: /^Cancelled$/ }).waitFor();

    // The tabs by keyboard: Right arrow from "Appointments" shows "Book for a patient".
    await table(page).getByRole('tab', { name: 'Appointments' }).focus();
    await page.keyboard.press('ArrowRight');
    await table(page).getByRole('tab', { name: 'Book for a patient', selected: true }).waitFor();
    assert.equal((await focused(page))?.id, 'tab-book');
    // Every field of the booking form is reached by Tab, in reading order.
    for (const id of ['book-doctor', 'book-date', 'book-slot', 'book-name', 'book-phone', 'book-email']) await tabTo(page, id, (f) => f.id === id);
    await tabTo(page, 'Book appointment', (f) => f.name === 'Book appointment');
    const booking = table(page).locator('staff-booking');
    await booking.getByLabel('Doctor').selectOption(String(grant));
    const day = futureDate(5);
    await booking.getByLabel('Day').fill(day);
    await booking.locator('#book-slot option').nth(1).waitFor({ state: 'attached' });
    await checkState(page, 'front-desk-book');
    // Nothing chosen: the form says what is missing.
    await booking.getByRole('button', { name: 'Book appointment' }).click();
    await booking.locator('#book-status', { hasText: 'Choose a free time.' }).waitFor();
    const slot = await booking.locator('#book-slot option').nth(1).getAttribute('value');
    await booking.getByLabel('Free time').selectOption(slot!);
    await booking.getByLabel('Patient name').fill('Walter Walkin');
    await booking.getByLabel('Phone').fill('+44 20 7946 0999');
    await booking.getByRole('button', { name: 'Book appointment' }).click();
    const reference = (await booking.locator('#booked-reference').innerText()).trim();
    assert.match(reference, /^[A-Za-z0-9_-]{22}$/);

    const made = await db.owner.query("SELECT id, doctor_id, appointment_time, status, patient_phone, patient_contact IS NOT NULL AS sealed FROM appointments WHERE patient_name = 'Walter Walkin'");
    assert.equal(made.rows.length, 1);
    assert.equal(made.rows[0].doctor_id, grant);
    assert.equal(new Date(made.rows[0].appointment_time).toISOString().replace('.000', ''), slot!.replace('.000', ''));
    assert.equal(made.rows[0].status, 'booked');
    assert.ok(made.rows[0].sealed && made.rows[0].patient_phone === null, 'the phone is sealed, as for any booking');
    ids.walkin = Number(made.rows[0].id);

    // One audit row per read and per write, each naming the person.
    const visit = await auditOf(ids.visit);
    assert.deepEqual(
      { read: count(visit, 'appointment.read'), notes: count(visit, 'notes.read'), arrived: count(visit, 'appointment.arrived'), completed: count(visit, 'appointment.completed'), note: count(visit, 'note.add') },
      // Opened (read + notes), then each of the two changes and the note shows the appointment again.
      { read: 3, notes: 4, arrived: 1, completed: 1, note: 1 },
    );
    const cancel = await auditOf(ids.cancel);
    assert.equal(count(cancel, 'appointment.cancelled'), 1);
    const walkin = await auditOf(ids.walkin);
    assert.deepEqual(walkin.map((r) => r.action), ['appointment.booked_for_patient']);
    for (const r of [...visit, ...cancel, ...walkin]) {
      assert.deepEqual([r.actor_sub, r.actor_name, r.actor_role], ['reception', 'Front Desk', 'reception']);
      assert.ok(r.request_id, 'each row has its request id');
    }
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test('admin: the Audit trail tab lists those actions, filters them and pages back; no booking tab, no visit buttons', async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await signInAs(page, app.url, 'admin', PASSWORD);
    await listed(page);
    assert.deepEqual(await tabNames(page), ['Appointments', 'Audit trail', 'Schedule']);
    // Home, End and the arrows wrap around the tabs.
    await table(page).getByRole('tab', { name: 'Appointments' }).focus();
    await page.keyboard.press('End');
    await table(page).getByRole('tab', { name: 'Schedule', selected: true }).waitFor();
    await page.keyboard.press('ArrowRight');
    await table(page).getByRole('tab', { name: 'Appointments', selected: true }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await table(page).getByRole('tab', { name: 'Schedule', selected: true }).waitFor();
    await page.keyboard.press('Home');
    await table(page).getByRole('tab', { name: 'Appointments', selected: true }).waitFor();

    // An admin reads the appointment, without contact, status buttons or notes.
    await row(page, 'Vera Visit').getByRole('button', { name: /^Open/ }).click();
    await panel(page).locator('#visit-current-status', { hasText: 'Seen' }).waitFor();
    assert.equal(await panel(page).locator('#visit-email').count(), 0);
    assert.equal(await panel(page).getByRole('button', { name: 'Add note' }).count(), 0);

    await table(page).getByRole('tab', { name: 'Audit trail' }).click();
    const trail = table(page).locator('audit-trail');
    await trail.locator('#audit-status', { hasText: /entr(y|ies) shown/ }).waitFor();
    const actions = (await trail.locator('tbody tr td:nth-child(3)').allTextContents()).map((t) => t.trim());
    for (const action of ['appointment.arrived', 'appointment.completed', 'note.add', 'appointment.cancelled', 'appointment.booked_for_patient', 'appointment.read', 'appointments.list']) {
      assert.ok(actions.includes(action), `${action} is in the trail: ${actions.join()}`);
    }
    const arrived = trail.locator('tbody tr').filter({ hasText: 'appointment.arrived' });
    assert.match(await arrived.locator('td').nth(1).innerText(), /Front Desk \(reception\)/);
    assert.equal((await arrived.locator('td').nth(3).innerText()).trim(), String(ids.visit));
    await checkState(page, 'front-desk-audit');

    // Filter: the one note, by action and appointment.
    await trail.getByLabel('Action').fill('note.add');
    await trail.getByLabel('Appointment id').fill(String(ids.visit));
    await trail.getByRole('button', { name: 'Show entries' }).click();
    await trail.locator('#audit-status', { hasText: '1 entry shown.' }).waitFor();

    // Paging: two a page, "Older entries" adds the next two below.
    await trail.evaluate((el) => ((el as HTMLElement & { pageSize: number }).pageSize = 2));
    await trail.getByLabel('Action').fill('appointment.read');
    await trail.getByLabel('Appointment id').fill('');
    await trail.getByRole('button', { name: 'Show entries' }).click();
    await trail.locator('#audit-status', { hasText: '2 entries shown; older ones follow.' }).waitFor();
    const firstPage = await trail.locator('tbody tr td:nth-child(5)').allTextContents();
    await trail.getByRole('button', { name: 'Older entries' }).click();
    await trail.locator('#audit-status', { hasText: /^ℹ 4 entries shown/ }).waitFor();
    const both = await trail.locator('tbody tr td:nth-child(5)').allTextContents();
    assert.deepEqual(both.slice(0, 2), firstPage);
    assert.equal(new Set(both).size, 4, 'no entry twice');
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});

test("clinician: neither tab, only their own doctor's appointments, visit buttons without cancel", async () => {
  const context = await browser.newContext(patientContext);
  const { page, problems } = await openPage(context);
  try {
    await signInAs(page, app.url, 'clinician', PASSWORD);
    await listed(page);
    assert.deepEqual(await tabNames(page), ['Appointments']);
    const names = (await table(page).locator('tbody tr td:nth-child(2)').allTextContents()).map((n) => n.trim()).sort();
    assert.deepEqual(names, ['Carl Cancel', 'Cleo Clinic', 'Vera Visit'], "Dr Grant's patients are not listed");
    assert.equal(await row(page, 'Greta Grant').count(), 0);
    await row(page, 'Cleo Clinic').getByRole('button', { name: /^Open/ }).click();
    await panel(page).locator('#visit-current-status', { hasText: 'Booked' }).waitFor();
    const offered = (await panel(page).getByRole('group', { name: 'Change the status' }).getByRole('button').allTextContents()).map((t) => t.trim());
    assert.deepEqual(offered, ['Arrived', 'Did not attend'], 'a clinician moves the visit on but does not cancel for the patient');
    await panel(page).getByRole('button', { name: 'Add note' }).waitFor();
    await checkState(page, 'front-desk-clinician', false);
    // The server, not the page, is what refuses: another doctor's appointment is a 404 to the clinician.
    const token = await table(page).evaluate((el) => (el as unknown as { _session: { tokens: { accessToken: string } } })._session.tokens.accessToken);
    const res = await fetch(`${app.url}/api/staff/appointments/${ids.grant}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 404);
    assert.deepEqual(problems.list, []);
  } finally {
    await context.close();
  }
});
