import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:net';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { addDoctor, createTestDatabase, type TestDatabase } from '../helpers/db';

/**
 * Figures, not assertions on time: one reminder run over 10,000 due appointments, and the
 * notifier's mails per second, against a real SMTP server that only counts (parsing would
 * measure the parser). The assertions are about correctness: every appointment once.
 */
let db: TestDatabase;
let smtp: SMTPServer;
let received = 0;
const N = 10_000;

before(async () => {
  db = await createTestDatabase();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = ((smtp.server as Server).address() as AddressInfo).port;
  Object.assign(process.env, { DATABASE_URL: db.appUrl, SMTP_URL: `smtp://127.0.0.1:${port}`, PUBLIC_BASE_URL: 'http://booking.test', LOG_LEVEL: 'warning' });
});

after(async () => {
  const { closeMailer } = await import('../../functions/core/notices/context');
  const { closeDatabase } = await import('../../functions/core/db');
  closeMailer();
  await closeDatabase();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await db.drop();
});

test(`one reminder run over ${N} due appointments, then the notifier's mails per second`, async () => {
  const { requirePatientDataKeys } = await import('../../functions/core/config');
  const { seal, sealContact } = await import('../../functions/core/privacy/seal');
  const keys = requirePatientDataKeys();
  const contact = sealContact(keys.current, { email: 'load@example.org', phone: null })!;
  const reference = seal(keys.current, 'reference', 'A'.repeat(22));
  // 100 doctors with 100 appointments each, 10 minutes long every 12 minutes from now + 15 min.
  const doctors: number[] = [];
  for (let i = 0; i < 100; i++) doctors.push(await addDoctor(db, { name: `Dr Load ${i}` }));
  await db.owner.query(
    `WITH made AS (
       INSERT INTO appointments (reference_hash, patient_name, patient_contact, contact_key_id, doctor_id, appointment_time, end_time)
       SELECT sha256(convert_to(d::text || ':' || k::text, 'UTF8')), 'Load Patient', $1, $2, d,
              now() + interval '15 minutes' + k * interval '12 minutes', now() + interval '25 minutes' + k * interval '12 minutes'
       FROM unnest($3::int[]) AS d, generate_series(0, 99) AS k
       RETURNING id)
     INSERT INTO appointment_links (appointment_id, reference_sealed, reference_key_id) SELECT id, $4, $2 FROM made`,
    [contact.data, contact.keyId, doctors, reference.data],
  );

  const { sendReminders } = await import('../../functions/core/notices/reminders');
  const { noticeContext } = await import('../../functions/core/notices/context');
  const { database } = await import('../../functions/core/db');
  const began = performance.now();
  const report = await sendReminders(database(), noticeContext(), { hours: 24, budgetMs: 600_000 });
  const seconds = (performance.now() - began) / 1000;
  console.log(`reminders: one run sent ${report.sent} of ${N} in ${seconds.toFixed(1)} s (${(report.sent / seconds).toFixed(0)} mails/s, ${report.batches} batches of up to 200)`);
  assert.equal(report.sent, N);
  assert.equal(received, N);
  const again = await sendReminders(database(), noticeContext(), { hours: 24 });
  assert.equal(again.sent, 0, 'nothing twice');

  // The notifier: booked events for 1,000 of them, 8 deliveries in flight (one process).
  const { notifyEvent } = await import('../../functions/core/notices/notify');
  const { rows } = await db.owner.query('SELECT id::int AS id, doctor_id, utc_iso(appointment_time) AS t, utc_iso(end_time) AS e FROM appointments ORDER BY id LIMIT 1000');
  const events = rows.map((r) => ({
    id: randomUUID(), source: '/functions/create-booking', type: 'health.booking.appointment.booked.v1' as const, subject: `appointments/${r.id}`,
    data: { id: r.id, doctor_id: r.doctor_id, appointment_time: r.t, end_time: r.e, status: 'booked' as const },
  }));
  const before = received;
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < events.length) await notifyEvent(database(), events[next++]!, noticeContext());
  }));
  const took = (performance.now() - start) / 1000;
  console.log(`notify: ${events.length} notices in ${took.toFixed(1)} s = ${(events.length / took).toFixed(0)} mails/s (8 in flight, pool of 4 SMTP connections, PG_POOL_SIZE 10)`);
  assert.equal(received - before, events.length);
});
