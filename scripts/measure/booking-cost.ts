import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { LOAD_PAST, median, runMain, withDemoClinic } from './demo-clinic';

/**
 * Issue 15: where a booking's PostgreSQL CPU goes. One session of the app role books free
 * slots of the demo clinic one after another (no concurrency, so nothing waits on a lock),
 * each variant below on slots of its own, and the CPU its backend spent (from
 * /proc/<pid>/schedstat, nanoseconds on a CPU) and the other PostgreSQL processes' (WAL
 * writer, checkpointer) are divided by the bookings. Each variant takes one part of the
 * booking away (a trigger disabled by the owner, a parameter left null), so the difference
 * to `full` is that part's cost. A throwaway embedded PostgreSQL with 100,000 past
 * appointments, as the bench has. `npx tsx scripts/measure/booking-cost.ts [--bookings 600]`
 */
const BOOKINGS = Number(process.argv[process.argv.indexOf('--bookings') + 1]) || 200;
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const WARM_UP = 30;


const FREE_SLOTS = `
SELECT d.id AS doctor_id, s.slot_start::text AS time
FROM doctors d
CROSS JOIN generate_series(current_date + 2, current_date + 170, interval '1 day') AS day
CROSS JOIN LATERAL schedule_slots(d.id, day::date, NULL) s
WHERE slot_within_rules(d.id, s.slot_start, 180, now())
ORDER BY md5(d.id || ':' || s.slot_start)`;

// The seed's booking, for scale: one INSERT of a row, no rules, no outbox.
const BARE_INSERT = `INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time)
VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '15 minutes') RETURNING id`;

interface Variant {
  name: string;
  /** Run by the owner before the variant, and `after` once it is done. */
  before?: string;
  after?: string;
  /** Leave out the contact (no sealed contact, no cap) or the sealed manage-link reference. */
  noContact?: boolean;
  noLink?: boolean;
  bare?: boolean;
  session?: string;
}

const triggersOff = (...names: Array<[string, string]>) => names.map(([table, t]) => `ALTER TABLE ${table} DISABLE TRIGGER ${t};`).join('');
const triggersOn = (...names: Array<[string, string]>) => names.map(([table, t]) => `ALTER TABLE ${table} ENABLE TRIGGER ${t};`).join('');
const NOTIFY: [string, string] = ['appointments', 'appointments_notify_slots'];
const GUARD: [string, string] = ['appointments', 'appointments_within_current_schedule'];
const AUDIT: [string, string] = ['outbox', 'outbox_audits_its_event'];

const variants: Variant[] = [
  { name: 'full booking (as create-booking sends it)' },
  { name: 'without the slot-change NOTIFY trigger', before: triggersOff(NOTIFY), after: triggersOn(NOTIFY) },
  { name: 'without the schedule-race guard trigger', before: triggersOff(GUARD), after: triggersOn(GUARD) },
  { name: 'without the outbox audit row trigger', before: triggersOff(AUDIT), after: triggersOn(AUDIT) },
  { name: 'without contact (no sealed contact, no cap lock and count)', noContact: true },
  { name: 'without the sealed manage-link row', noLink: true },
  { name: 'all four of the above left out', noContact: true, noLink: true, before: triggersOff(NOTIFY, GUARD, AUDIT), after: triggersOn(NOTIFY, GUARD, AUDIT) },
  { name: 'full booking, synchronous_commit off (the WAL flush)', session: 'SET synchronous_commit = off' },
  { name: 'bare INSERT of the row (the seed)', bare: true },
];

/** Nanoseconds on a CPU of one process (first field of /proc/<pid>/schedstat). */
function cpuNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}

/** Every PostgreSQL process of the cluster but one: the postmaster's children, by its pid file. */
function otherPgCpuNs(postmasterPid: number, except: number): number {
  let total = cpuNs(postmasterPid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === except) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid === postmasterPid) total += cpuNs(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function main(): Promise<void> {
  await withDemoClinic('booking', async ({ appUrl, dataDir, owner }) => {
    await owner.query(LOAD_PAST, [100_000]);
    await owner.query('ANALYZE');
    const { rows: slots } = await owner.query<{ doctor_id: number; time: string }>(FREE_SLOTS);
    const postmasterPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const need = ROUNDS * variants.length * (BOOKINGS + WARM_UP);
    if (slots.length < need) throw new Error(`only ${slots.length} free slots for ${need} bookings: ask for fewer with --bookings`);
    console.log(`demo clinic, 100,000 past appointments; ${BOOKINGS} bookings per variant after ${WARM_UP} to warm up, one session, one at a time, ${ROUNDS} rounds of every variant in turn (medians); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    const create = readFileSync(join(__dirname, '..', '..', 'db', 'sql', 'appointments', 'create.sql'), 'utf8');
    let next = 0;
    const figures = variants.map(() => ({ backend: [] as number[], others: [] as number[], wall: [] as number[] }));
    for (let round = 0; round < ROUNDS; round++)
    for (const [v, variant] of variants.entries()) {
      if (variant.before) await owner.query(variant.before);
      const app = new pg.Client({ connectionString: appUrl });
      await app.connect();
      app.on('error', () => undefined);
      if (variant.session) await app.query(variant.session);
      const { rows: [{ pid }] } = await app.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const book = async () => {
        const slot = slots[next++];
        if (variant.bare) {
          await app.query(BARE_INSERT, [randomBytes(32), 'Measure patient', slot.doctor_id, slot.time]);
          return;
        }
        const index = randomBytes(32);
        const { rows: [row] } = await app.query(create, [
          randomBytes(32), 'Measure patient',
          variant.noContact ? null : randomBytes(72), variant.noContact ? null : 'k1',
          slot.doctor_id, slot.time, '/functions/create-booking', 180,
          variant.noContact ? null : index, variant.noContact ? null : [index], 3,
          variant.noLink ? null : randomBytes(50), variant.noLink ? null : 'k1', null,
        ]);
        if (row.id === null) throw new Error(`not booked: ${JSON.stringify(row)} for ${JSON.stringify(slot)}`);
      };
      for (let i = 0; i < WARM_UP; i++) await book();
      const backend0 = cpuNs(pid);
      const others0 = otherPgCpuNs(postmasterPid, pid);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BOOKINGS; i++) await book();
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / BOOKINGS;
      const backendUs = (cpuNs(pid) - backend0) / 1000 / BOOKINGS;
      const othersUs = (otherPgCpuNs(postmasterPid, pid) - others0) / 1000 / BOOKINGS;
      await app.end();
      if (variant.after) await owner.query(variant.after);
      figures[v].backend.push(backendUs);
      figures[v].others.push(othersUs);
      figures[v].wall.push(wallUs);
      console.log(`round ${round + 1}: ${variant.name}: backend ${backendUs.toFixed(0)} us, others ${othersUs.toFixed(0)} us, wall ${wallUs.toFixed(0)} us`);
    }
    const full = median(figures[0].backend);
    const rows = variants.map((variant, v) => {
      const backend = median(figures[v].backend);
      return `| ${variant.name} | ${backend.toFixed(0)} | ${v === 0 ? '' : (full - backend).toFixed(0)} | ${median(figures[v].others).toFixed(0)} | ${median(figures[v].wall).toFixed(0)} |`;
    });
    console.log('\n| variant | backend CPU us/booking | saved against full | other PostgreSQL processes us/booking | wall us/booking |\n| :-- | --: | --: | --: | --: |');
    console.log(rows.join('\n'));
  });
}

runMain(main);
