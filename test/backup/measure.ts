import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backup } from '../../scripts/backup';
import { ensureClinicDatabase } from '../../scripts/lib/postgres';
import { migrate } from '../../scripts/migrate';
import { restore } from '../../scripts/restore';
import { populate, snapshot } from './dataset';
import { startPostgres15 } from './postgres-for-pg-dump';

/**
 * Backup and restore times for a clinic of APPOINTMENTS (default 100,000) appointments over 20
 * doctors, with their outbox and audit rows: `npx tsx test/backup/measure.ts`. Prints figures;
 * asserts nothing but that the restored database equals the original.
 */
async function main(): Promise<void> {
  const appointments = Number(process.env.APPOINTMENTS ?? 100_000);
  const server = await startPostgres15();
  process.env.PG_BIN = server.clientBin;
  const dir = mkdtempSync(join(tmpdir(), 'clinic-measure-'));
  try {
    const source = await ensureClinicDatabase(server.adminUrl, 'healthcare', server.passwords);
    await migrate(source.ownerUrl);
    let t = Date.now();
    await populate(source.ownerUrl, { doctors: 20, appointments });
    console.log(`populated ${appointments} appointments in ${Date.now() - t} ms`);
    const file = join(dir, 'healthcare.dump');
    const times: { backup: number[]; restore: number[]; bytes: number } = { backup: [], restore: [], bytes: 0 };
    for (let round = 1; round <= 3; round++) {
      t = Date.now();
      times.bytes = (await backup(source.ownerUrl, file)).bytes;
      times.backup.push(Date.now() - t);
      const target = await ensureClinicDatabase(server.adminUrl, `restored_${round}`, server.passwords);
      t = Date.now();
      await restore(target.ownerUrl, file);
      times.restore.push(Date.now() - t);
      if (round === 1) {
        const [a, b] = [await snapshot(source.ownerUrl), await snapshot(target.ownerUrl)];
        for (const [k, v] of a) if (JSON.stringify(v) !== JSON.stringify(b.get(k))) throw new Error(`restored ${k} differs`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    console.log(`archive: ${(times.bytes / 1024 / 1024).toFixed(1)} MiB (pg_dump -Fc --compress=6)`);
    console.log(`backup  ms: ${times.backup.join(', ')} (median ${median(times.backup)})`);
    console.log(`restore ms: ${times.restore.join(', ')} (median ${median(times.restore)}; one transaction, indexes and constraints rebuilt)`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
