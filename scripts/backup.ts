import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { databaseUrlFromEnv, runPgTool } from './lib/pg-tools';

/**
 * One compressed, self-consistent archive of the clinic's database (`pg_dump -Fc`, one
 * snapshot). Written under a temporary name and renamed only once pg_restore can read it, so a
 * half-written file is never mistaken for a backup. The CronJob in knative/postgres does the
 * same in shell; this is the operators' and the tests' way.
 */
export async function backup(databaseUrl: string, file: string): Promise<{ bytes: number }> {
  const partial = `${file}.partial`;
  try {
    await runPgTool('pg_dump', ['--format=custom', '--compress=6', '--lock-wait-timeout=60s', `--file=${partial}`], databaseUrl);
    await runPgTool('pg_restore', ['--list', partial], databaseUrl);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return { bytes: (await stat(file)).size };
}

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('usage: DATABASE_OWNER_URL=postgres://booking_owner:…@host/healthcare npm run backup -- <archive file>');
  const started = Date.now();
  const { bytes } = await backup(databaseUrlFromEnv('back up'), resolve(file));
  console.log(`backup written: ${resolve(file)} (${bytes} bytes, ${Date.now() - started} ms)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
