import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

/** Migrations live beside the migrate bundle, or in db/ when running from source. */
function findDir(name: string): string {
  const candidates = [join(__dirname, name), join(__dirname, '..', 'db', name), join(__dirname, '..', '..', 'db', name)];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`${name} not found; looked in ${candidates.join(', ')}`);
  return found;
}

/**
 * Applies db/migrations with node-pg-migrate as the owner role. It takes an advisory lock, so
 * a migration Job and a second starter never apply the same migration twice.
 */
export async function migrate(ownerUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  await runner({
    databaseUrl: ownerUrl,
    dir: findDir('migrations'),
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    log,
    logger: { debug: () => {}, info: log, warn: log, error: log },
  });
}

/** Loads the demo clinic once, into a database that has no doctors yet. */
export async function seedIfEmpty(ownerUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two starters at once must not both seed.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('seed', 0))");
    const { rows } = await client.query('SELECT count(*)::int AS n FROM doctors');
    if (rows[0].n > 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(readFileSync(join(findDir('seed'), 'demo.sql'), 'utf8'));
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
