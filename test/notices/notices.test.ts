import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CloudEvent, HTTP } from 'cloudevents';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { nextDstDay, wallClock } from './dst';
import { icsField, icsInstant, startMailbox, type Mailbox } from './mailbox';

/**
 * Notices end to end: create-booking, reschedule-booking and cancel-booking commit their
 * events, the outbox relay sends them to K_SINK, which is the notify function here (the
 * Broker's place on Knative), and notify mails a real SMTP server in this process.
 */
let db: TestDatabase;
let app: RunningApp;
let box: Mailbox;
let sinkUrl: string;
let sink: ReturnType<typeof createServer>;
const base = 'http://booking.test';

before(async () => {
  db = await createTestDatabase();
  box = await startMailbox();
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  sink = createServer((req, res) => (handler ? handler(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
  app = await startApp(db.appUrl, { K_SINK: sinkUrl, SMTP_URL: box.url, PUBLIC_BASE_URL: base, BOOKING_LIMITS: 'off', LOG_LEVEL: 'error' });
  const { default: notify } = await import('../../functions/notify');
  const { createServer: serve } = await import('../../functions/core/server');
  const inner = serve([notify]);
  handler = (req, res) => inner.emit('request', req, res);
});

after(async () => {
  const { closeMailer } = await import('../../functions/core/notices/context');
  closeMailer();
  await app?.close();
  sink?.closeAllConnections();
  await new Promise<void>((resolve) => sink?.close(() => resolve()));
  await box?.close();
  await db?.drop();
});

let n = 0;
const address = () => `patient${++n}@example.org`;
const mailsTo = (to: string) => box.mails.filter((m) => m.to.includes(to));

async function book(doctorId: number, time: string, email: string | null) {
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Pat Example', doctor_id: doctorId, appointment_time: time, patient_email: email } });
  assert.equal(res.status, 201, res.text);
  return res.body as { id: number; reference: string; appointment_time: string };
}

describe('notices by e-mail', () => {
  const zones = ['Europe/London', 'America/New_York'];
  const booked: Record<string, { id: number; reference: string; email: string; doctorId: number; day: string }> = {};

  for (const zone of zones) {
    test(`the confirmation has the manage link and an .ics right on a DST day in ${zone}`, async () => {
      const doctorId = await addDoctor(db, { timezone: zone });
      const day = nextDstDay(zone);
      const start = wallClock(zone, day, '09:00');
      const email = address();
      const appt = await book(doctorId, start, email);
      assert.equal(appt.appointment_time, start, 'the slot is 09:00 on the clinic clock');
      booked[zone] = { id: appt.id, reference: appt.reference, email, doctorId, day };
      await box.waitFor(() => mailsTo(email).length === 1);
      const [mail] = mailsTo(email);
      assert.match(mail!.subject, /booked/);
      assert.ok(mail!.text.includes(`${base}/manage#${appt.reference}`), 'the manage link carries the reference in the fragment');
      assert.match(mail!.text, /09:00/);
      const ics = mail!.ics!;
      assert.ok(ics, 'a calendar file is attached');
      assert.equal(icsField(ics, 'METHOD'), 'REQUEST');
      assert.equal(icsInstant(icsField(ics, 'DTSTART')), start);
      assert.equal(icsInstant(icsField(ics, 'DTEND')), new Date(Date.parse(start) + 30 * 60_000).toISOString());
      assert.equal(icsField(ics, 'SEQUENCE'), '0');
      assert.equal(icsField(ics, 'UID'), `appointment-${appt.id}@booking.test`);
    });
  }

  test('a reschedule sends SEQUENCE 1 under the same UID, at the new time', async () => {
    const b = booked['Europe/London']!;
    const to = wallClock('Europe/London', b.day, '11:30');
    const res = await call(app.url, 'POST', `/api/appointments/${b.reference}/reschedule`, { body: { appointment_time: to } });
    assert.equal(res.status, 200, res.text);
    await box.waitFor(() => mailsTo(b.email).length === 2);
    const mail = mailsTo(b.email)[1]!;
    assert.match(mail.subject, /moved/);
    assert.match(mail.text, /from .*09:00.* to .*11:30/s);
    assert.equal(icsField(mail.ics!, 'SEQUENCE'), '1');
    assert.equal(icsField(mail.ics!, 'UID'), `appointment-${b.id}@booking.test`);
    assert.equal(icsInstant(icsField(mail.ics!, 'DTSTART')), to);
  });

  test('a cancel sends METHOD:CANCEL, one SEQUENCE further', async () => {
    const b = booked['Europe/London']!;
    const res = await call(app.url, 'DELETE', `/api/appointments/${b.reference}`, { body: { reason: 'Feeling better' } });
    assert.equal(res.status, 200, res.text);
    await box.waitFor(() => mailsTo(b.email).length === 3);
    const mail = mailsTo(b.email)[2]!;
    assert.match(mail.subject, /cancelled/);
    assert.equal(icsField(mail.ics!, 'METHOD'), 'CANCEL');
    assert.equal(icsField(mail.ics!, 'STATUS'), 'CANCELLED');
    assert.equal(icsField(mail.ics!, 'SEQUENCE'), '2');
    assert.equal(icsField(mail.ics!, 'UID'), `appointment-${b.id}@booking.test`);
  });

  test('the same event delivered three times gives one mail', async () => {
    const b = booked['America/New_York']!;
    const { rows } = await db.owner.query("SELECT event_id, type, source, subject, data FROM outbox WHERE subject = $1 AND type LIKE '%.booked.v1'", [`appointments/${b.id}`]);
    const event = new CloudEvent({ id: rows[0].event_id, type: rows[0].type, source: rows[0].source, subject: rows[0].subject, datacontenttype: 'application/json', data: rows[0].data });
    for (let i = 0; i < 3; i++) {
      const message = HTTP.binary(event);
      const res = await fetch(sinkUrl, { method: 'POST', headers: message.headers as Record<string, string>, body: message.body as string });
      assert.ok(res.ok, `delivery ${i + 1} is acknowledged`);
    }
    assert.equal(mailsTo(b.email).length, 1);
  });

  test('no address, no mail', async () => {
    const doctorId = await addDoctor(db);
    const before = box.mails.length;
    const appt = await book(doctorId, `${futureDate(20)}T10:00:00.000Z`, null);
    const sent = async () => (await db.owner.query('SELECT kind FROM notices_sent WHERE appointment_id = $1', [appt.id])).rows;
    const until = Date.now() + 10_000;
    while ((await sent()).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await sent(), [{ kind: 'none' }], 'decided, and nothing to send');
    assert.equal(box.mails.length, before);
  });

  test('with the mail server down for a while, every mail arrives once it is back', async () => {
    const doctorId = await addDoctor(db);
    box.failing = true;
    const emails = [address(), address(), address()];
    const day = futureDate(25);
    for (const [i, email] of emails.entries()) await book(doctorId, `${day}T1${i}:00:00.000Z`, email);
    // The relay's fast path tried, notify answered 5xx, and the events wait in the outbox.
    await box.waitFor(() => box.refused >= 3);
    const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM notices_sent n JOIN appointments a ON a.id = n.appointment_id WHERE a.doctor_id = $1", [doctorId]);
    assert.equal(rows[0].n, 0, 'a failed send decided nothing');
    box.failing = false;
    const { relayOutbox } = await import('../../functions/core/outbox');
    const { database } = await import('../../functions/core/db');
    // Time passing for the relay's backoff: the events are due again now.
    await box.waitFor(() => emails.every((e) => mailsTo(e).length === 1), 20_000, async () => {
      await db.owner.query('UPDATE outbox SET next_attempt_at = now() WHERE sent_at IS NULL');
      await relayOutbox(database(), { sinkUrl, budgetMs: 2_000 });
    });
    for (const e of emails) assert.equal(mailsTo(e).length, 1);
  });
});

describe('reminders', () => {
  let doctorId: number;
  let slots: string[];

  before(async () => {
    doctorId = await addDoctor(db, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:30' })) });
    slots = [];
    for (const day of [futureDate(0), futureDate(1)]) {
      const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${day}`);
      for (const s of res.body.slots) {
        const at = Date.parse(s.start);
        if (s.available && at > Date.now() + 3 * 3_600_000 && at < Date.now() + 20 * 3_600_000) slots.push(s.start);
      }
    }
    assert.ok(slots.length >= 4, 'enough slots within the next day');
  });

  async function runReminders() {
    // The relay kicked by the last change may still be delivering its event to notify, whose
    // transaction holds the appointment's row (a key-share lock, for notices_sent's foreign key):
    // the reminder claim skips locked rows, so let that delivery finish first.
    const { relayIdle } = await import('../../functions/core/outbox');
    await relayIdle();
    const { sendReminders } = await import('../../functions/core/notices/reminders');
    const { noticeContext } = await import('../../functions/core/notices/context');
    const { database } = await import('../../functions/core/db');
    return sendReminders(database(), noticeContext(), { hours: 24 });
  }
  const remindersTo = (to: string) => mailsTo(to).filter((m) => /Reminder/.test(m.subject));

  test('each booked appointment is reminded once; a cancelled one never; a moved one again at its new time', async () => {
    const [kept, cancelled, none] = [address(), address(), null];
    const a = await book(doctorId, slots[0]!, kept);
    const b = await book(doctorId, slots[1]!, cancelled);
    await book(doctorId, slots[2]!, none);
    assert.equal((await call(app.url, 'DELETE', `/api/appointments/${b.reference}`)).status, 200);

    const first = await runReminders();
    assert.equal(first.sent, 1);
    assert.equal(first.noAddress, 1);
    assert.equal(remindersTo(kept).length, 1);
    assert.ok(remindersTo(kept)[0]!.text.includes(`${base}/manage#${a.reference}`));
    assert.equal(icsInstant(icsField(remindersTo(kept)[0]!.ics!, 'DTSTART')), slots[0]);

    const second = await runReminders();
    assert.equal(second.sent + second.noAddress, 0, 'a second run sends nothing again');
    assert.equal(remindersTo(cancelled).length, 0, 'never for a cancelled appointment');

    assert.equal((await call(app.url, 'POST', `/api/appointments/${a.reference}/reschedule`, { body: { appointment_time: slots[3] } })).status, 200);
    const third = await runReminders();
    assert.equal(third.sent, 1, 'due again at its new time');
    const again = remindersTo(kept);
    assert.equal(again.length, 2);
    assert.equal(icsInstant(icsField(again[1]!.ics!, 'DTSTART')), slots[3]);
    assert.equal(remindersTo(cancelled).length, 0);
  });
});
