import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { ensureClinicDatabase, startEmbeddedPostgres } from '../../scripts/lib/postgres';
import { migrate } from '../../scripts/migrate';
import { copyBundle, startBundle } from '../deploy/bundle';

/**
 * The closing figures of issue 16: `npm run build && npx tsx test/privacy/measure.ts`. Prints
 * figures and asserts nothing. (1) the cost of the cryptography one booking does, (2) how many
 * bookings one client makes in a minute booking as fast as it can, limits off (as before) and
 * on (the defaults), against a create-booking bundle, (3) the retention run over APPOINTMENTS
 * (default 100,000) appointments past the horizon, and the run when nothing is due.
 */
async function cryptoCost(): Promise<void> {
  const { readKeyring } = await import('../../functions/core/privacy/keys');
  const { contactIndex, contactIndexes, primaryContact, referenceHash, seal, sealContact } = await import('../../functions/core/privacy/seal');
  const keys = readKeyring(randomBytes(32).toString('base64'), undefined)!;
  const booking = () => {
    const reference = randomBytes(16).toString('base64url');
    const contact = { email: 'patient.name@example.org', phone: '+44 20 7946 0000' };
    const counted = primaryContact(contact)!;
    sealContact(keys.current, contact);
    contactIndex(keys.current, counted);
    contactIndexes(keys, counted);
    referenceHash(reference);
    seal(keys.current, 'reference', reference); // only with an Idempotency-Key
  };
  for (let i = 0; i < 20_000; i++) booking();
  const n = 200_000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) booking();
  const us = Number(process.hrtime.bigint() - t) / 1e3 / n;
  console.log(`crypto per booking (seal contact, blind index x2, reference hash, seal reference): ${us.toFixed(1)} µs`);
}

async function perMinute(appUrl: string, ownerUrl: string, env: Record<string, string>, label: string, seconds: number): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  // 40 doctors working around the clock in 5-minute slots: far more slots than a minute can book.
  const { rows } = await owner.query(
    `WITH d AS (INSERT INTO doctors (name, specialty, timezone, slot_minutes) SELECT 'Dr M' || g, 'GP', 'UTC', 5 FROM generate_series(1, 40) g RETURNING id)
     INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at) SELECT d.id, w, '00:00', '23:55' FROM d, generate_series(1, 7) w RETURNING doctor_id`,
  );
  await owner.end();
  const doctors = [...new Set(rows.map((r) => r.doctor_id as number))];
  const bundle = copyBundle('functions/create-booking');
  const server = await startBundle(bundle.dir, { DATABASE_URL: appUrl, FUNCTION_TARGET: 'createBooking', ...env });
  try {
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const slots: Array<[number, string]> = [];
    for (const d of doctors) for (let m = 0; m < 23 * 60; m += 5) slots.push([d, new Date(Date.parse(`${day}T00:00:00Z`) + m * 60_000).toISOString()]);
    let next = 0;
    const counts: Record<number, number> = {};
    const deadline = Date.now() + seconds * 1000;
    // One client, 8 connections, as fast as it can: the hoarding run of the issue.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < deadline && next < slots.length) {
          const [doctor, time] = slots[next++];
          const res = await fetch(`${server.url}/api/appointments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ patient_name: 'Hoarder', doctor_id: doctor, appointment_time: time, patient_email: `h${next % 1000}@example.org` }),
          });
          await res.text();
          counts[res.status] = (counts[res.status] ?? 0) + 1;
        }
      }),
    );
    const booked = counts[201] ?? 0;
    console.log(`${label}: ${booked} booked in ${seconds} s (${Math.round((booked * 60) / seconds)} a minute at that pace; a limited client books no more until its hour ends); answers ${JSON.stringify(counts)}`);
  } finally {
    await server.kill();
    bundle.remove();
  }
}

async function retention(appUrl: string, ownerUrl: string, appointments: number): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query("INSERT INTO doctors (name, specialty, timezone) SELECT 'Dr R' || g, 'GP', 'UTC' FROM generate_series(1, 20) g");
  let t = Date.now();
  // Past appointments 1 to 3 years ago, one per doctor per half hour (no overlap), sealed contact of realistic size.
  await owner.query(
    `INSERT INTO appointments (reference_hash, patient_name, patient_contact, contact_key_id, contact_index, doctor_id, appointment_time, end_time, status, created_at)
     SELECT sha256(convert_to('r' || g, 'UTF8')), 'Patient ' || g, gen_random_bytes_or(g), 'kmeasure0', sha256(convert_to('c' || (g % 30000), 'UTF8')),
            (SELECT min(id) FROM doctors WHERE name LIKE 'Dr R%') + g % 20, at, at + interval '30 minutes', CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'booked' END, at - interval '3 days'
     FROM generate_series(1, $1::int) g, LATERAL (SELECT now() - interval '400 days' - (g / 20) * interval '30 minutes' AS at) s`.replace(
      'gen_random_bytes_or(g)',
      "decode(repeat(md5(g::text), 2) || substr(md5('x' || g), 1, 28), 'hex')",
    ),
    [appointments],
  );
  await owner.query('ANALYZE appointments');
  console.log(`populated ${appointments} past appointments in ${Date.now() - t} ms`);
  process.env.DATABASE_URL = appUrl;
  process.env.LOG_LEVEL = 'error';
  const { database, closeDatabase } = await import('../../functions/core/db');
  const { enforceRetention } = await import('../../functions/core/privacy/retention');
  t = Date.now();
  const report = await enforceRetention(database(), 365, '/functions/outbox-relay', 3_600_000);
  const ms = Date.now() - t;
  console.log(`retention: erased ${report.erased} appointments in ${report.batches} batches, ${ms} ms (${Math.round(report.erased / (ms / 1000))} a second)`);
  t = Date.now();
  const idle = await enforceRetention(database(), 365, '/functions/outbox-relay');
  console.log(`retention with nothing due: ${idle.erased} erased, ${Date.now() - t} ms`);
  const { rows } = await owner.query("SELECT count(*) FILTER (WHERE patient_name IS NOT NULL)::int AS named, (SELECT count(*)::int FROM audit_log WHERE event_type = 'health.booking.patient-data.erased.v1') AS audited FROM appointments");
  console.log(`after: ${rows[0].named} appointments still named, ${rows[0].audited} audit lines`);
  await owner.end();
  await closeDatabase();
}

async function main(): Promise<void> {
  await cryptoCost();
  const dir = mkdtempSync(join(tmpdir(), 'privacy-measure-'));
  const cluster = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  try {
    const key = randomBytes(32).toString('base64');
    const seconds = Number(process.env.SECONDS ?? 10);
    for (const [name, env, label] of [
      ['before', { BOOKING_LIMITS: 'off' }, 'limits off (as before issue 16)'],
      ['after', { BOOKING_LIMITS: 'on' }, 'limits on, defaults'],
    ] as const) {
      const db = await ensureClinicDatabase(cluster.adminUrl, `measure_${name}`, cluster.secrets);
      await migrate(db.ownerUrl);
      await perMinute(db.appUrl, db.ownerUrl, { ...env, PATIENT_DATA_KEY: key }, label, seconds);
    }
    const db = await ensureClinicDatabase(cluster.adminUrl, 'measure_retention', cluster.secrets);
    await migrate(db.ownerUrl);
    await retention(db.appUrl, db.ownerUrl, Number(process.env.APPOINTMENTS ?? 100_000));
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
