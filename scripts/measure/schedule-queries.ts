import pg from 'pg';
import pgPromise from 'pg-promise';
import { sqlFile } from '../../functions/core/db/sql';
import { LOAD_PAST, median, runMain, withDemoClinic } from './demo-clinic';

/**
 * Issue 11: what the schedule's read queries cost in PostgreSQL, on the demo clinic (12 doctors,
 * four zones) with 100,000 appointments: about 85% of every doctor's slots over the next 60
 * days booked (one doctor, Dr Oliver Grant, all of them: a first-available search of them
 * finds nothing and must look at every day), the rest in the past, back to back. Prints the
 * EXPLAIN (ANALYZE, BUFFERS) execution time of each query, the median of 5 after one warm-up,
 * run as the app role exactly as the repos format them. A throwaway embedded PostgreSQL.
 * `npx tsx scripts/measure/schedule-queries.ts` (`--plans` also prints each query's plan once).
 */
const TOTAL_APPOINTMENTS = 100_000;
const HORIZON_DAYS = 180;
const RUNS = 5;

const LOAD_FUTURE = `
INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_type_id, appointment_time, end_time, status, created_at)
SELECT sha256(convert_to(d.id || ':' || s.slot_start, 'UTF8')), 'Measure patient', d.id, s.appointment_type_id, s.slot_start, s.slot_end, 'booked', now()
FROM doctors d
CROSS JOIN generate_series(current_date, current_date + 60, interval '1 day') AS day
CROSS JOIN LATERAL schedule_slots(d.id, day::date, NULL) s
WHERE s.slot_start > now()
  AND (d.name = 'Dr Oliver Grant' OR abs(hashtext(d.id || ':' || s.slot_start)) % 100 < 85)`;


const addDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  await withDemoClinic('schedule', async ({ appUrl, owner }) => {
    const future = await owner.query(LOAD_FUTURE);
    const past = await owner.query(LOAD_PAST, [TOTAL_APPOINTMENTS - (future.rowCount ?? 0)]);
    await owner.query('ANALYZE');
    const { rows: doctors } = await owner.query<{ id: number; name: string }>("SELECT id, name FROM doctors WHERE name IN ('Dr Amelia Hart', 'Dr Oliver Grant')");
    const byName = Object.fromEntries(doctors.map((d) => [d.name, d.id]));
    const busy = byName['Dr Amelia Hart'];
    const full = byName['Dr Oliver Grant'];
    console.log(`PostgreSQL with the demo clinic: ${future.rowCount} appointments in the next 60 days, ${past.rowCount} in the past`);

    const pgp = pgPromise();
    const app = new pg.Client({ connectionString: appUrl });
    await app.connect();
    // The cluster stops in `finally`, which ends this session: not a second error to report.
    app.on('error', () => undefined);
    const thisMonth = addDays(0).slice(0, 7);
    const nextMonth = addDays(31).slice(0, 7);
    const firstAvailable = (from: string, to: string, doctorId: number | null = null) => ({ from, to, specialty: null, typeName: null, doctorId, limit: 10, horizonDays: HORIZON_DAYS });
    const queries: Array<[string, string, Record<string, unknown>]> = [
      [`slots: one doctor's day (Dr Amelia Hart, ${addDays(7)})`, 'doctors/slots.sql', { doctorId: busy, day: addDays(7), horizonDays: HORIZON_DAYS, typeId: null }],
      [`days: one doctor's month (Dr Amelia Hart, ${nextMonth})`, 'doctors/days.sql', { doctorId: busy, month: nextMonth, horizonDays: HORIZON_DAYS, typeId: null }],
      [`days: one doctor's month (Dr Amelia Hart, ${thisMonth}, today on)`, 'doctors/days.sql', { doctorId: busy, month: thisMonth, horizonDays: HORIZON_DAYS, typeId: null }],
      ['first-available: every doctor, 14 days', 'doctors/first-available.sql', firstAvailable(addDays(0), addDays(13))],
      ['first-available: every doctor, 62 days', 'doctors/first-available.sql', firstAvailable(addDays(0), addDays(61))],
      ['first-available: a fully booked doctor, 62 days (nothing free)', 'doctors/first-available.sql', firstAvailable(addDays(0), addDays(61), full)],
    ];
    for (const [label, file, params] of queries) {
      const text = pgp.as.format(sqlFile(file), params);
      const times: number[] = [];
      let buffers = 0;
      for (let run = 0; run <= RUNS; run++) {
        const { rows } = await app.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`);
        const [plan] = rows[0]['QUERY PLAN'];
        if (run === 0) {
          if (process.argv.includes('--plans')) console.log((await app.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`)).rows.map((r) => r['QUERY PLAN']).join('\n'));
          continue;
        }
        times.push(plan['Execution Time']);
        buffers = plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'];
      }
      console.log(`${label.padEnd(72)} median ${median(times).toFixed(2).padStart(8)} ms  (runs ${times.map((t) => t.toFixed(1)).join(', ')}; ${buffers} buffers)`);
    }
    await app.end();
  });
}

runMain(main);
