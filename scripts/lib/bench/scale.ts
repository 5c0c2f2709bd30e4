import { runHttp, summarise, type CpuProbe } from './load';
import type { ServerChild } from './processes';
import { scenarios, type ScenarioContext, type ScenarioName } from './scenarios';

/**
 * The N-instance curve: N processes of one function's bundle against the one PostgreSQL, as N
 * Knative pods of one Service would be, loaded together by autocannon spreading its
 * connections over their ports (connection i goes to instance i mod N), `perInstance`
 * connections each. What it shows is where adding instances stops adding throughput.
 */
export interface ScalePoint {
  scenario: ScenarioName;
  fn: string;
  instances: number;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU microseconds per request, summed over the instances, and in PostgreSQL. */
  serverUs?: number;
  postgresUs?: number;
  /** PostgreSQL backends the instances held at the end (pool size x N at most). */
  backends?: number;
}

export interface ScaleContext {
  ctx: ScenarioContext;
  counts: readonly number[];
  scenarios: readonly ScenarioName[];
  perInstance: number;
  durationS: number;
  warmupS: number;
  /** Starts instance `i` of `fn`; the curve stops them. */
  spawn(fn: string, i: number): Promise<ServerChild>;
  pgCpu?: () => number;
  backends?: (fn: string) => Promise<number>;
  say(line: string): void;
}

export async function scaleCurve(s: ScaleContext): Promise<ScalePoint[]> {
  const out: ScalePoint[] = [];
  for (const name of s.scenarios) {
    const sc = scenarios[name];
    const load = sc.http(s.ctx);
    for (const n of s.counts) {
      const children: ServerChild[] = [];
      try {
        for (let i = 0; i < n; i++) children.push(await s.spawn(sc.fn, i));
        const connections = s.perInstance * n;
        const urls = children.map((c) => c.url);
        // Bookings do not grow with N on a small machine; past the supply a request re-sends a taken slot (a 409, reported).
        const expected = (durationS: number) => Math.ceil(1_500 * Math.min(n, 2) * durationS) + 2 * connections + 50;
        if (sc.books) await s.ctx.supply.ensure(expected(s.warmupS));
        if (s.warmupS) await runHttp({ ...load, url: urls, connections, durationS: s.warmupS });
        if (sc.books) await s.ctx.supply.ensure(expected(s.durationS));
        const probe: CpuProbe = { server: () => children.reduce((t, c) => t + c.cpuSeconds(), 0), postgres: s.pgCpu };
        const m = summarise([await runHttp({ ...load, url: urls, connections, durationS: s.durationS, progress: `${name} x${n} instances` }, probe)]);
        const point: ScalePoint = {
          scenario: name,
          fn: sc.fn,
          instances: n,
          connections,
          rps: Math.round(m.rps),
          p50: m.p50,
          p99: m.p99,
          non2xx: m.non2xx,
          errors: m.errors,
          serverUs: m.cpu.serverUs,
          postgresUs: m.cpu.postgresUs,
          backends: s.backends ? await s.backends(sc.fn) : undefined,
        };
        out.push(point);
        s.say(`  ${name.padEnd(6)} ${sc.fn.padEnd(15)} N=${String(n).padEnd(2)} c=${String(connections).padEnd(3)} ${String(point.rps).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms${m.non2xx ? `  non-2xx ${m.non2xx}` : ''}${m.errors ? `  errors ${m.errors}` : ''}`);
      } finally {
        await Promise.all(children.map((c) => c.stop()));
      }
    }
  }
  return out;
}
