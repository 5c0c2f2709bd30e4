import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { databaseUrlFromEnv, runPgTool } from './lib/pg-tools';

/** What a database holds besides PostgreSQL's own catalogs: any of it makes a restore refuse. */
const OWN_OBJECTS = `
  SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%')
       + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
       + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql') AS n`;

export class DatabaseNotEmptyError extends Error {}

/**
 * Restores one archive from scripts/backup.ts (or the CronJob) into an EMPTY database, as its
 * owner, in one transaction: it either all lands or nothing does. A database with anything in
 * it is refused, so a restore never mixes into live data. The archive's grants to booking_app
 * come back with it (the role must exist on the target, as the README says to create it).
 */
export async function restore(databaseUrl: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(OWN_OBJECTS);
    if (Number(rows[0].n) > 0) {
      throw new DatabaseNotEmptyError(
        `the target database is not empty (${rows[0].n} objects): restore only into a new one, e.g. CREATE DATABASE healthcare_restored OWNER booking_owner`,
      );
    }
  } finally {
    await client.end();
  }
  // --no-owner: the objects belong to whoever restores (the owner role), whatever the source's
  // owner was called; the grants to booking_app are kept.
  // --dbname names only the database; host, role and password travel as PG* variables.
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await runPgTool('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${database}`, file], databaseUrl);
  await reapplyDatabaseSettings(databaseUrl);
}

/**
 * ALTER DATABASE ... SET lives outside the database's own objects, so an archive restored into
 * an existing database does not bring it back. The migrations that make such settings say so
 * in their Up section, and running it again is harmless (it only SETs).
 */
async function reapplyDatabaseSettings(databaseUrl: string): Promise<void> {
  const dir = [join(__dirname, '..', 'db', 'migrations'), join(__dirname, 'migrations')].find((d) => existsSync(d));
  if (!dir) throw new Error('db/migrations not found: the database settings of migration 004 must be set again by hand');
  const up = readFileSync(join(dir, '004_statement_timeout.sql'), 'utf8').split('-- Down Migration')[0];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(up);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('usage: DATABASE_OWNER_URL=postgres://booking_owner:…@host/<empty database> npm run restore -- <archive file>');
  const started = Date.now();
  await restore(databaseUrlFromEnv('restore into (it must be empty)'), resolve(file));
  console.log(`restored ${resolve(file)} in ${Date.now() - started} ms`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(err instanceof DatabaseNotEmptyError ? 2 : 1);
  });
}
