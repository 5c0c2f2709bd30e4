import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { root } from '../deploy/manifests';

/**
 * `npm start`'s process as a user runs it (`node dist/start.js`, which `npm test` has just
 * built), with its own DATA_DIR and ports, and nothing of the test run's environment that
 * could point it at another database.
 */

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface Started {
  child: ChildProcess;
  exited: Promise<Exit>;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** Its JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
}

export interface StartEnv {
  DATA_DIR: string;
  EMBEDDED_PG_PORT: string;
  [name: string]: string;
}

export function runStart(env: StartEnv): Started {
  const child = spawn(process.execPath, [join(root, 'dist', 'start.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const logs = () =>
    text.split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return { child, exited, output: () => text, logs };
}

/** Resolves with the exit, or rejects with the output when it has not exited in time. */
export function exitWithin(started: Started, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${started.output()}`)), ms);
  });
  return Promise.race([started.exited, late]).finally(() => clearTimeout(timer));
}

/** Waits for the "ready" line and answers the URL it serves on. */
export async function ready(started: Started, timeoutMs = 90_000): Promise<URL> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = started.logs().find((l) => l.message === 'ready');
    if (line) return new URL(String(line.url));
    if (started.child.exitCode !== null || started.child.signalCode !== null) {
      throw new Error(`it exited before it was ready:\n${started.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A superuser client of the clinic's database in `dataDir`, with the password npm start generated. */
export async function superuser(dataDir: string, port: number): Promise<pg.Client> {
  const { superuser: password } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { superuser: string };
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'healthcare' });
  // The server may stop under it (that is what these tests are about); an error event must not crash the test.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The postmaster's PID, from the lock file PostgreSQL keeps in its data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** True while `pid` runs; a zombie (exited, not yet reaped) is not running. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
}

/** PIDs whose parent is `pid` (the postmaster's backends and workers). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Local addresses listening on `port`, from the kernel's socket tables: what the server is
 * bound to, without sending anything to a non-loopback address.
 */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hex, portHex] = local.split(':');
      if (state !== '0A' || parseInt(portHex, 16) !== port) continue;
      found.push(hex.length === 8 ? ipv4(hex) : ipv6(hex));
    }
  }
  return found;
}

// /proc/net/tcp writes each 32-bit word in host (little-endian) order.
const ipv4 = (hex: string) => [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
function ipv6(hex: string): string {
  const raw = hex.match(/.{8}/g)!;
  const bytes = raw.map((w) => w.match(/../g)!.reverse().join('')).join('');
  const text = bytes.match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16)).join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text.startsWith('0:0:0:0:0:ffff:')) return `::ffff:${ipv4(raw[3])}`;
  return text;
}
