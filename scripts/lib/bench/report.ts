import type { Measurement } from './load';

export type Mode = 'one-process' | 'instance' | 'node-floor' | 'domain-floor' | 'db-floor' | 'hello-floor';
export const PROJECT_MODES: readonly Mode[] = ['one-process', 'instance'];

export interface Point extends Measurement {
  scenario: string;
  mode: Mode;
  connections: number;
}

export interface Ratios {
  hello?: number;
  node?: number;
  db?: number;
}

/** The project's req/s as a fraction of each floor's, measured at the same concurrency in the same run. */
export function ratios(points: readonly Point[], p: Point): Ratios {
  const floor = (mode: Mode, scenario: string) =>
    points.find((q) => q.mode === mode && q.scenario === scenario && q.connections === p.connections && q.rps > 0);
  const r = (q?: Point) => (q ? p.rps / q.rps : undefined);
  return { hello: r(floor('hello-floor', 'hello')), node: r(floor('node-floor', p.scenario)), db: r(floor('db-floor', p.scenario)) };
}

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

const fmt = (x: number | undefined, digits = 0) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits));
const pct = (x: number | undefined) => (x === undefined ? '-' : `${Math.round(x * 100)}%`);
const ms = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** A plain table: `header` row, then rows; numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 || /^[a-z]/i.test(c) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const align = header.map((_, i) => (i < 2 ? ':--' : '--:'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const PROJECT_HEADER = ['scenario', 'mode', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'x hello', 'x node', 'x db', 'srv us/req', 'pg us/req'];
export const FLOOR_HEADER = ['scenario', 'floor', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'srv us/req', 'pg us/req'];

const order = (a: Point, b: Point, scenarios: readonly string[]) =>
  scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) || a.mode.localeCompare(b.mode) || a.connections - b.connections;

export function projectRows(points: readonly Point[], scenarios: readonly string[]): string[][] {
  return points
    .filter((p) => PROJECT_MODES.includes(p.mode))
    .sort((a, b) => order(a, b, scenarios))
    .map((p) => {
      const r = ratios(points, p);
      return [p.scenario, p.mode, String(p.connections), fmt(p.rps), ms(p.p50), ms(p.p99), nonOk(p), pct(r.hello), pct(r.node), pct(r.db), fmt(p.cpu.serverUs), fmt(p.cpu.postgresUs)];
    });
}

export function floorRows(points: readonly Point[], scenarios: readonly string[]): string[][] {
  return points
    .filter((p) => !PROJECT_MODES.includes(p.mode))
    .sort((a, b) => order(a, b, ['hello', ...scenarios]))
    .map((p) => [p.scenario, p.mode, String(p.connections), fmt(p.rps), ms(p.p50), ms(p.p99), nonOk(p), fmt(p.cpu.serverUs), fmt(p.cpu.postgresUs)]);
}

function nonOk(p: Point): string {
  const codes = Object.entries(p.statusCodes).filter(([code]) => !code.startsWith('2'));
  const text = codes.length ? `${p.non2xx} (${codes.map(([c, n]) => `${c}:${n}`).join(' ')})` : String(p.non2xx);
  return p.errors ? `${text} +${p.errors} err` : text;
}
