import { loadavg } from 'node:os';
import autocannon from 'autocannon';

/** One measured point: a load at one concurrency against one target for a bounded time. */
export interface Measurement {
  requests: number;
  durationS: number;
  rps: number;
  /** Latency in ms: autocannon records whole milliseconds (2xx only); the DB floor records fractions. */
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
  /** Mean 1-minute load average of the machine at the end of the point (others share it). */
  loadavg: number;
}

export interface CpuProbe {
  server?: () => number;
  postgres?: () => number;
}

export interface HttpLoad {
  url: string;
  connections: number;
  durationS: number;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** Per request: a different path or body (a different slot, reference, day). */
  next?: () => { path?: string; body?: string; headers?: Record<string, string> };
  /** Prints a progress line while it runs. */
  progress?: string;
}

function cpuMeter(probe: CpuProbe) {
  const start = { server: probe.server?.(), postgres: probe.postgres?.(), loadgen: process.cpuUsage() };
  return (requests: number) => {
    const per = (seconds: number) => (requests > 0 ? Math.round((seconds * 1e6) / requests) : 0);
    const loadgen = process.cpuUsage(start.loadgen);
    return {
      serverUs: probe.server && start.server !== undefined ? per(probe.server() - start.server) : undefined,
      postgresUs: probe.postgres && start.postgres !== undefined ? per(probe.postgres() - start.postgres) : undefined,
      loadgenUs: per((loadgen.user + loadgen.system) / 1e6),
    };
  };
}

function progressLine(label: string | undefined, durationS: number, count: () => number): () => void {
  if (!label) return () => {};
  const began = performance.now();
  const tty = process.stdout.isTTY;
  const draw = () => {
    const elapsed = (performance.now() - began) / 1000;
    const line = `  ${label}  ${Math.min(elapsed, durationS).toFixed(0)}/${durationS}s  ${Math.round(count() / Math.max(elapsed, 0.001))} req/s`;
    if (tty) process.stdout.write(`\r${line.padEnd(100)}`);
  };
  if (!tty) process.stdout.write(`  ${label} (${durationS}s) ...\n`);
  const timer = setInterval(draw, 500);
  return () => {
    clearInterval(timer);
    if (tty) process.stdout.write(`\r${' '.repeat(100)}\r`);
  };
}

/** Drives an HTTP target with autocannon (in this process; the server is a child process). */
export async function runHttp(load: HttpLoad, probe: CpuProbe = {}): Promise<Measurement> {
  const meter = cpuMeter(probe);
  const next = load.next;
  let responses = 0;
  let finish!: (err: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon({
    url: load.url,
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
  }, (err, result) => finish(err, result));
  instance.on('response', () => responses++);
  const done = progressLine(load.progress, load.durationS, () => responses);
  const result = await finished.finally(done);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    requests,
    durationS: result.duration,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    statusCodes,
    errors: result.errors + result.timeouts,
    cpu: meter(requests),
    loadavg: loadavg()[0],
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The database floor: `concurrency` async loops, each awaiting `op` again as soon as it
 * returns, for `durationS` seconds. `op` resolves with a status like an HTTP answer's.
 */
export async function runLoops(
  concurrency: number,
  durationS: number,
  op: () => Promise<number>,
  probe: CpuProbe = {},
  progress?: string,
): Promise<Measurement> {
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
        if (status >= 200 && status < 300) latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop)).finally(done);
  const elapsed = (performance.now() - began) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const non2xx = requests - latencies.length;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests,
    durationS: elapsed,
    rps: requests / elapsed,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : 0),
    non2xx,
    statusCodes,
    errors,
    cpu: meter(requests),
    loadavg: loadavg()[0],
  };
}
