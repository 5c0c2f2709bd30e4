import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';

import { freePort } from '../ports';

export { freePort };

/** One GET; resolves with the status (or 0 when nothing answered) and the body. */
export function get(url: string, headers: Record<string, string> = {}, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `url` until it answers 200; resolves with the time it took (ms), rejects after `timeoutMs`. */
export async function waitFor200(url: string, timeoutMs: number, exited?: () => string | undefined): Promise<number> {
  const began = performance.now();
  for (;;) {
    const { status } = await get(url, {}, 1_000);
    if (status === 200) return performance.now() - began;
    const why = exited?.();
    if (why) throw new Error(why);
    if (performance.now() - began > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last status ${status})`);
    await sleep(status === 0 ? 3 : 20);
  }
}

export interface ServerChild {
  label: string;
  url: string;
  pid: number;
  /** CPU seconds (user + system) this process has used so far. */
  cpuSeconds(): number;
  /** Last lines it wrote, for an error message. */
  tail(): string;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statFields(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after it are space separated.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in seconds; fields 14 and 15 of /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND : 0;
}

/**
 * CPU seconds used by a process and its children: its own, its live children's (PostgreSQL's
 * backends and WAL writer, gunicorn's workers) and those of the children it has already reaped.
 */
export function processTreeCpuSeconds(pid: number): number {
  const own = statFields(pid);
  if (!own) return 0;
  let total = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    if (f && Number(f[1]) === pid) total += Number(f[11]) + Number(f[12]);
  }
  return total / TICKS_PER_SECOND;
}

/** CPU seconds of a PostgreSQL server: the postmaster and every backend it forked. */
export const postgresCpuSeconds = processTreeCpuSeconds;

export interface SpawnOptions {
  label: string;
  /** Default: this Node. */
  command?: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Path that answers 200 once the server is ready. */
  readyPath?: string;
  readyTimeoutMs?: number;
}

/** Starts a server in a child process on a free port and waits until it answers. */
export async function spawnServer(options: SpawnOptions): Promise<ServerChild & { readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const child: ChildProcess = spawn(options.command ?? process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = `${options.label} exited (${signal ?? code})`;
      resolve();
    });
  });
  const tail = () => lines.slice(-12).join('\n');
  const stop = async () => {
    if (exit) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor200(url + (options.readyPath ?? '/healthz'), options.readyTimeoutMs ?? 30_000, () => exit && `${exit}:\n${tail()}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    label: options.label,
    url,
    pid: child.pid!,
    readyMs: performance.now() - began,
    cpuSeconds: () => (options.command ? processTreeCpuSeconds(child.pid!) : processCpuSeconds(child.pid!)),
    tail,
    stop,
  };
}
