import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs one of PostgreSQL's client programs (pg_dump, pg_restore) against `databaseUrl`. The
 * URL's parts go to the child as PG* environment variables, never as arguments, so the
 * password is not in any process listing. PG_BIN picks the directory of the programs (their
 * major version must be at least the server's, for pg_dump); otherwise PATH decides.
 */
export function runPgTool(program: 'pg_dump' | 'pg_restore', args: string[], databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: decodeURIComponent(url.pathname.slice(1)),
    PGAPPNAME: program,
  };
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  const sslrootcert = url.searchParams.get('sslrootcert');
  if (sslrootcert) env.PGSSLROOTCERT = sslrootcert;
  const bin = process.env.PG_BIN ? join(process.env.PG_BIN, program) : program;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--no-password', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.once('error', (err) => reject(new Error(`${bin} could not start (${err.message}); set PG_BIN to the directory of PostgreSQL's client programs`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${program} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}

/** The database URL from the environment, or a sentence saying which variable is missing. */
export function databaseUrlFromEnv(purpose: string): string {
  const value = process.env.DATABASE_OWNER_URL;
  if (!value) throw new Error(`DATABASE_OWNER_URL is not set: the owner role's connection string of the database to ${purpose}`);
  return value;
}
