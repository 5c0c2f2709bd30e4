import type { ColdStart, ConnectionCheck } from './checks';
import type { BenchOptions } from './options';
import { ratios, type Mode, type Point } from './report';
import { RUSH_RETRIES, type RushResult } from './rush';
import { scenarios, type ScenarioName } from './scenarios';

/**
 * What the run is judged against: the single-instance knee that sets each Knative Service's
 * `autoscaling.knative.dev/target`, and the stated targets (ratios to the floors, p99, cold
 * start, 409s). Defined here, before any figure is looked at.
 */

export interface Knee {
  fn: string;
  scenario: string;
  /** The first concurrency where p99 more than doubled over the lowest one, or req/s grew less than 10%. */
  turnsUpAt: number | undefined;
  why: string;
  /** The recommended `autoscaling.knative.dev/target`: the knee itself. */
  recommended: number;
  sweep: Array<{ c: number; rps: number; p99: number }>;
}

/**
 * Where a single instance stops scaling. Defined before looking at figures: walking the sweep
 * upwards, the first concurrency whose p99 is more than twice the p99 at the lowest
 * concurrency (taken as at least 1 ms) or whose req/s is less than 1.10 times the previous
 * point's. That knee is the recommended `autoscaling.knative.dev/target`: there the pod is
 * saturated (more in flight only queues), and Knative's default target utilisation (70%)
 * makes the autoscaler add pods a little before it. With no knee, the highest swept point.
 */
export function knee(fn: string, scenario: string, sweep: Array<{ c: number; rps: number; p99: number }>): Knee {
  const s = [...sweep].sort((a, b) => a.c - b.c);
  const base = Math.max(s[0]?.p99 ?? 1, 1);
  for (let i = 1; i < s.length; i++) {
    const reasons = [];
    if (s[i].p99 > 2 * base) reasons.push(`p99 ${s[i].p99} ms > 2 x ${base} ms at c=${s[0].c}`);
    if (s[i].rps < 1.1 * s[i - 1].rps) reasons.push(`req/s ${Math.round(s[i].rps)} < 1.10 x ${Math.round(s[i - 1].rps)} at c=${s[i - 1].c}`);
    if (reasons.length) return { fn, scenario, turnsUpAt: s[i].c, why: reasons.join(' and '), recommended: s[i].c, sweep: s };
  }
  const last = s[s.length - 1]?.c ?? 1;
  return { fn, scenario, turnsUpAt: undefined, why: 'still scaling at the highest concurrency swept', recommended: last, sweep: s };
}

export interface TargetCheck {
  what: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

const round = (x: number) => Math.round(x);

export interface Knees {
  all: Knee[];
  /** One target per Service: the most cautious of the scenarios it serves. */
  byFunction: Record<string, number>;
}

export function kneesByFunction(points: readonly Point[], opts: BenchOptions): Knees {
  const all: Knee[] = [];
  for (const name of opts.scenarios) {
    const sweep = points
      .filter((p) => p.scenario === name && p.mode === 'instance' && opts.sweep.includes(p.connections))
      .map((p) => ({ c: p.connections, rps: round(p.rps), p99: p.p99 }));
    if (sweep.length > 1) all.push(knee(scenarios[name as ScenarioName].fn, name, sweep));
  }
  const byFunction: Record<string, number> = {};
  for (const k of all) byFunction[k.fn] = Math.min(byFunction[k.fn] ?? Infinity, k.recommended);
  return { all, byFunction };
}

export function checkTargets(points: readonly Point[], opts: BenchOptions, cold: ColdStart[], conn: ConnectionCheck | undefined, rush: ReadonlyArray<RushResult & { mode: string }> = []): TargetCheck[] {
  const c = opts.targetConnections;
  const out: TargetCheck[] = [];
  const at = (scenario: string, mode: Mode) => points.find((p) => p.scenario === scenario && p.mode === mode && p.connections === c);
  const share: Array<[string, number]> = [['book', 0.75], ['list', 1], ['list-deep', 1], ['lookup', 1], ['slots', 0.75]];
  for (const [scenario, target] of share) {
    const p = at(scenario, 'one-process');
    const r = p && ratios(points, p).node;
    out.push({
      what: `${scenario}, one process, c=${c}, req/s vs Node floor`,
      target: `>= ${target * 100}%`,
      measured: r === undefined ? 'not measured' : `${Math.round(r * 100)}% (${Math.round(p!.rps)} vs ${Math.round(p!.rps / r)} req/s)`,
      met: r === undefined ? undefined : r >= target,
    });
  }
  // Issue 15's ratios: to the design it replaces and to the bare servers, in the same run.
  const issue15: Array<[string, 'flask' | 'node' | 'hello', number]> = [['book', 'flask', 2], ['book', 'node', 0.6], ['slots', 'hello', 0.8]];
  for (const [scenario, floor, target] of issue15) {
    const p = at(scenario, 'one-process');
    const r = p && ratios(points, p)[floor];
    const name = { flask: 'the Flask peer', node: 'the Node floor', hello: 'the framework hello' }[floor];
    out.push({
      what: `${scenario}, one process, c=${c}, req/s vs ${name} (issue 15)`,
      target: `>= ${target}x`,
      measured: r === undefined ? 'not measured' : `${r.toFixed(2)}x (${Math.round(p!.rps)} vs ${Math.round(p!.rps / r)} req/s)`,
      met: r === undefined ? undefined : r >= target,
    });
  }
  for (const x of rush.filter((x) => x.mode === 'one-process')) {
    const ok = x.outcomes.booked + x.outcomes['fully-booked'];
    out.push({
      what: 'rush, one process: double bookings, 5xx, flows that neither booked nor heard "fully booked" (issue 15)',
      target: '0, 0, 0',
      measured: `${x.doubleBookings}, ${x.status5xx}, ${x.patients - ok} (${x.outcomes['gave-up']} gave up after ${RUSH_RETRIES} retries, ${x.outcomes.failed} failed)`,
      met: x.doubleBookings === 0 && x.status5xx === 0 && ok === x.patients,
    });
  }
  for (const mode of ['one-process', 'instance'] as const) {
    const ps = points.filter((p) => p.mode === mode && p.connections === c);
    if (!ps.length) continue;
    const worst = ps.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    out.push({ what: `p99 at c=${c}, ${mode}, every scenario`, target: '< 50 ms', measured: ps.map((p) => `${p.scenario} ${p.p99} ms`).join(', '), met: worst.p99 < 50 });
  }
  const bad = points.filter((p) => p.non2xx > 0 || p.errors > 0);
  out.push({
    what: 'non-2xx answers under load (every point, floors included)',
    target: '0 (409s only in the 409 check)',
    measured: bad.length ? bad.map((p) => `${p.scenario}/${p.mode}/c${p.connections}: ${p.non2xx} non-2xx, ${p.errors} errors`).join('; ') : '0',
    met: bad.length === 0,
  });
  for (const cs of cold) {
    out.push({ what: `cold start ${cs.fn}`, target: '< 500 ms (median)', measured: cs.medianMs !== undefined ? `${cs.medianMs} ms` : `failed: ${cs.error}`, met: cs.medianMs !== undefined && cs.medianMs < 500 });
  }
  if (conn) {
    out.push({
      what: 'a 409 costs no new database connection',
      target: '0 new backends',
      measured: `${conn.newBackends} new of ${conn.backendsAfter.length} after ${conn.conflicts} x 409${Object.keys(conn.otherStatuses).length ? `; other statuses ${JSON.stringify(conn.otherStatuses)}` : ''}`,
      met: conn.sameBackends && conn.conflicts > 0 && Object.keys(conn.otherStatuses).length === 0,
    });
    out.push({
      what: `409s under load: ${conn.connections} clients booking one taken slot`,
      target: 'p99 < 50 ms, only 409s',
      measured: conn.bursts.map((b) => `${b.what}: ${Math.round(b.rps)} req/s, p99 ${b.p99} ms, ${JSON.stringify(b.statusCodes)}`).join('; '),
      met: conn.bursts.every((b) => b.p99 < 50 && Object.keys(b.statusCodes).every((c) => c === '409')),
    });
  }
  return out;
}
