import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureClinicDatabase, startEmbeddedPostgres } from '../lib/postgres';
import { freePort } from '../lib/ports';
import { migrate, seedIfEmpty } from '../migrate';

/**
 * The measurement scripts' database: a throwaway embedded PostgreSQL with the demo clinic
 * (migrated and seeded), an owner session for loading data, removed afterwards.
 */
export interface DemoClinic {
  ownerUrl: string;
  appUrl: string;
  dataDir: string;
  /** The owner's session, open for the whole run; closed (and the cluster stopped) after it. */
  owner: pg.Client;
}

export async function withDemoClinic(name: string, run: (clinic: DemoClinic) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(os.tmpdir(), `clinic-measure-${name}-`));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  try {
    const { ownerUrl, appUrl } = await ensureClinicDatabase(cluster.adminUrl, 'healthcare', cluster.secrets);
    await migrate(ownerUrl);
    await seedIfEmpty(ownerUrl);
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    // The cluster stops in `finally`, which ends this session: not a second error to report.
    owner.on('error', () => undefined);
    try {
      await run({ ownerUrl, appUrl, dataDir, owner });
    } finally {
      await owner.end().catch(() => undefined);
    }
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** $1 past appointments, back to back from yesterday backwards, every doctor in turn, their own slot length apart; about 8% cancelled. */
export const LOAD_PAST = `
INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_type_id, appointment_time, end_time, status, created_at)
SELECT sha256(convert_to('past:' || g, 'UTF8')), 'Measure patient', d.id, t.id, p.starts, p.starts + make_interval(mins => d.slot_minutes),
       CASE WHEN g % 100 < 8 THEN 'cancelled' ELSE 'booked' END, p.starts - interval '7 days'
FROM generate_series(0, $1::integer - 1) AS g
JOIN (SELECT id, slot_minutes, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS doctors FROM doctors) d ON d.n = g % d.doctors
JOIN appointment_types t ON t.doctor_id = d.id AND t.is_default
CROSS JOIN LATERAL (SELECT date_trunc('day', now()) - interval '1 day' - make_interval(mins => d.slot_minutes * (1 + g / d.doctors)::integer) AS starts) p`;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a script's main, printing its error and exiting 1 on failure. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
