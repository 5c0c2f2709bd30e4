import { loadavg } from 'node:os';
import autocannon from 'autocannon';

/**
 * One measured slice of load: every answer's latency, its status, and the CPU each process
 * spent meanwhile. Slices of one point (taken in rounds, interleaved with the floors' slices so
 * that a burst of other work on the machine hits both) are summed into a Measurement.
 */
export interface Slice {
  latencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  seconds: number;
  cpu: { server?: number; postgres?: number; loadgen: number };
  loadavg: number;
}

/** One point: a load at one concurrency against one target, summed over its slices. */
export interface Measurement {
  requests: number;
  durationS: number;
  rps: number;
  /** Latency of every answer in ms, from the load generator's side. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Connection errors and timeouts (HTTP), or failed queries (DB floor). */
  errors: number;
  /** CPU microseconds per request spent by the server process, PostgreSQL, and the load generator. */
  cpu: { serverUs?: number; postgresUs?: number; loadgenUs: number };
  /** The machine's 1-minute load average at the end (others share the machine). */
  loadavg: number;
  slices: number;
}

export interface CpuProbe {
  server?: () => number;
  postgres?: () => number;
}

export interface HttpLoad {
  /** Several: autocannon spreads the connections over them (connection i to url i mod n). */
  url: string | string[];
  connections: number;
  durationS: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Per request: a different path, body or headers (a different slot, reference, day). */
  next?: () => { path?: string; body?: string; headers?: Record<string, string> };
  /** Prints a progress line while it runs. */
  progress?: string;
}

function cpuMeter(probe: CpuProbe) {
  const start = { server: probe.server?.(), postgres: probe.postgres?.(), loadgen: process.cpuUsage() };
  return () => {
    const loadgen = process.cpuUsage(start.loadgen);
    return {
      server: probe.server && start.server !== undefined ? probe.server() - start.server : undefined,
      postgres: probe.postgres && start.postgres !== undefined ? probe.postgres() - start.postgres : undefined,
      loadgen: (loadgen.user + loadgen.system) / 1e6,
    };
  };
}

function progressLine(label: string | undefined, durationS: number, count: () => number): () => void {
  if (!label) return () => {};
  const began = performance.now();
  const tty = process.stdout.isTTY;
  if (!tty) return () => {};
  const timer = setInterval(() => {
    const elapsed = (performance.now() - began) / 1000;
    const line = `  ${label}  ${Math.min(elapsed, durationS).toFixed(1)}/${durationS.toFixed(1)}s  ${Math.round(count() / Math.max(elapsed, 0.001))} req/s`;
    process.stdout.write(`\r${line.padEnd(90)}`);
  }, 250);
  return () => {
    clearInterval(timer);
    process.stdout.write(`\r${' '.repeat(90)}\r`);
  };
}

/** Drives an HTTP target with autocannon (in this process; the server is a child process). */
export async function runHttp(load: HttpLoad, probe: CpuProbe = {}): Promise<Slice> {
  const meter = cpuMeter(probe);
  const next = load.next;
  const latencies: number[] = [];
  let finish!: (err: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon(
    {
      // autocannon takes an array too; its types say only string.
      url: load.url as string,
      connections: load.connections,
      duration: load.durationS,
      timeout: 10,
      requests: [
        {
          method: load.method,
          path: load.path,
          headers: load.headers,
          // Only when given: an explicit undefined would replace autocannon's default.
          ...(next && {
            setupRequest: (req: autocannon.Request) => {
              const v = next();
              if (v.path !== undefined) req.path = v.path;
              if (v.body !== undefined) req.body = v.body;
              if (v.headers !== undefined) req.headers = { ...req.headers, ...v.headers };
              return req;
            },
          }),
        },
      ],
    },
    (err, result) => finish(err, result),
  );
  // Every answer's time, in fractional ms (autocannon's own histogram keeps whole ms).
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const done = progressLine(load.progress, load.durationS, () => latencies.length);
  const result = await finished.finally(done);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return { latencies, statusCodes, errors: result.errors + result.timeouts, seconds: result.duration, cpu: meter(), loadavg: loadavg()[0] };
}

/**
 * The database floor: `concurrency` async loops, each awaiting `op` again as soon as it
 * returns, for `durationS` seconds. `op` resolves with a status like an HTTP answer's.
 */
export async function runLoops(concurrency: number, durationS: number, op: () => Promise<number>, probe: CpuProbe = {}, progress?: string): Promise<Slice> {
  const meter = cpuMeter(probe);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const began = performance.now();
  const end = began + durationS * 1000;
  const done = progressLine(progress, durationS, () => latencies.length);
  const loop = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        const status = await op();
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop)).finally(done);
  return { latencies, statusCodes, errors, seconds: (performance.now() - began) / 1000, cpu: meter(), loadavg: loadavg()[0] };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Sums slices into one point. */
export function summarise(slices: readonly Slice[]): Measurement {
  const all = new Float64Array(slices.reduce((n, s) => n + s.latencies.length, 0));
  let at = 0;
  for (const s of slices) {
    all.set(s.latencies, at);
    at += s.latencies.length;
  }
  all.sort();
  const statusCodes: Record<string, number> = {};
  for (const s of slices) for (const [code, n] of Object.entries(s.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const seconds = slices.reduce((t, s) => t + s.seconds, 0);
  const sum = (pick: (s: Slice) => number | undefined) => (slices.every((s) => pick(s) !== undefined) ? slices.reduce((t, s) => t + pick(s)!, 0) : undefined);
  const perRequest = (cpuSeconds: number | undefined) => (cpuSeconds === undefined || requests === 0 ? undefined : Math.round((cpuSeconds * 1e6) / requests));
  const ms = (x: number) => Math.round(x * 100) / 100;
  return {
    requests,
    durationS: ms(seconds),
    rps: seconds > 0 ? requests / seconds : 0,
    p50: ms(percentile(all, 50)),
    p90: ms(percentile(all, 90)),
    p99: ms(percentile(all, 99)),
    max: ms(all.length ? all[all.length - 1] : 0),
    non2xx: Object.entries(statusCodes).reduce((n, [code, k]) => (code.startsWith('2') ? n : n + k), 0),
    statusCodes,
    errors: slices.reduce((n, s) => n + s.errors, 0),
    cpu: { serverUs: perRequest(sum((s) => s.cpu.server)), postgresUs: perRequest(sum((s) => s.cpu.postgres)), loadgenUs: perRequest(sum((s) => s.cpu.loadgen))! },
    loadavg: slices.at(-1)?.loadavg ?? 0,
    slices: slices.length,
  };
}
