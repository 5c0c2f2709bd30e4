import { spawn } from 'node:child_process';
import type pg from 'pg';
import { runHttp, summarise, type HttpLoad } from './load';
import { freePort, waitFor200, type ServerChild } from './processes';
import type { FreeSlot } from './slots';

const round = (x: number) => Math.round(x);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface ColdStart {
  fn: string;
  runs: number[];
  medianMs?: number;
  error?: string;
}

/** Time from spawning a function's bundle to its first 200 on /healthz, `n` times each. */
export async function coldStarts(fns: string[], n: number, bundle: (fn: string) => string, cwd: string, env: NodeJS.ProcessEnv, say: (line: string) => void): Promise<ColdStart[]> {
  const out: ColdStart[] = [];
  for (const fn of fns) {
    const runs: number[] = [];
    let error: string | undefined;
    for (let i = 0; i < n && !error; i++) {
      const port = await freePort();
      const began = performance.now();
      const child = spawn(process.execPath, [bundle(fn)], { cwd, env: { ...env, PORT: String(port), K_SERVICE: `bench-cold-${fn}` }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c) => (stderr = (stderr + c).slice(-2_000)));
      let exit: string | undefined;
      const exited = new Promise<void>((resolve) => child.on('exit', (code, signal) => ((exit = `exited (${signal ?? code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`), resolve())));
      try {
        await waitFor200(`http://127.0.0.1:${port}/healthz`, 10_000, () => exit);
        runs.push(performance.now() - began);
      } catch (err) {
        error = (err as Error).message;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    out.push({ fn, runs: runs.map(round), medianMs: runs.length ? round(median(runs)) : undefined, error });
    say(`  ${fn.padEnd(20)} ${error ? `failed: ${error}` : `median ${round(median(runs))} ms  (runs: ${runs.map(round).join(', ')})`}`);
  }
  return out;
}

export interface ConnectionCheck {
  connections: number;
  conflicts: number;
  /** Per burst: req/s and p99 (all answers), so a 409 that waits shows. */
  bursts: Array<{ what: string; rps: number; p99: number; statusCodes: Record<string, number> }>;
  otherStatuses: Record<string, number>;
  backendsBefore: number[];
  backendsAfter: number[];
  newBackends: number;
  sameBackends: boolean;
  withIdempotencyKey: number;
}

/**
 * A 409 must hand its connection back to the pool, not cost a new one: bursts of bookings of
 * one taken slot against `child` (create-booking alone, its application_name `bench-409-check`),
 * with and without an Idempotency-Key; its PostgreSQL backends counted before and after. Stops `child`.
 */
export async function connectionCheck(child: ServerChild, taken: FreeSlot, admin: pg.Client): Promise<ConnectionCheck> {
  const backends = async () =>
    (await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'bench-409-check' ORDER BY pid")).rows.map((r) => r.pid);
  const body = JSON.stringify({ patient_name: 'Bench Patient', doctor_id: taken.doctorId, appointment_time: taken.start });
  const load: HttpLoad = { url: child.url, connections: 10, durationS: 1, method: 'POST', path: '/api/appointments', headers: { 'content-type': 'application/json' }, next: () => ({ body }) };
  // Fill the pool first (it grows to its size on demand), then count.
  await runHttp(load);
  const before = await backends();
  const plain = summarise([await runHttp({ ...load, durationS: 2, progress: '409 burst' })]);
  let key = 0;
  const keyed = summarise([await runHttp({ ...load, durationS: 2, progress: '409 burst, Idempotency-Key', next: () => ({ body, headers: { 'idempotency-key': `bench-409-${++key}` } }) })]);
  const after = await backends();
  await child.stop();
  const statuses: Record<string, number> = {};
  for (const m of [plain, keyed]) for (const [code, n] of Object.entries(m.statusCodes)) if (code !== '409') statuses[code] = (statuses[code] ?? 0) + n;
  const conflicts = (plain.statusCodes['409'] ?? 0) + (keyed.statusCodes['409'] ?? 0);
  const newBackends = after.filter((pid) => !before.includes(pid)).length;
  return {
    connections: load.connections,
    conflicts,
    bursts: [
      { what: 'plain', rps: round(plain.rps), p99: plain.p99, statusCodes: plain.statusCodes },
      { what: 'Idempotency-Key', rps: round(keyed.rps), p99: keyed.p99, statusCodes: keyed.statusCodes },
    ],
    otherStatuses: statuses,
    backendsBefore: before,
    backendsAfter: after,
    newBackends,
    sameBackends: newBackends === 0 && before.length > 0,
    withIdempotencyKey: keyed.statusCodes['409'] ?? 0,
  };
}
