import type { Measurement } from './load';

export const NOISE_NOTE =
  'Other work shares this machine (and the load generator shares it with the servers and PostgreSQL), so absolute figures are noisy; compare ratios measured in one run.';

export type Mode = 'one-process' | 'instance' | 'node-floor' | 'domain-floor' | 'db-floor' | 'hello-floor' | 'flask-peer';
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
  /** The design this project replaces (Flask + psycopg2 under gunicorn), on the same SQL. */
  flask?: number;
}

/** The project's req/s as a fraction of each floor's, measured at the same concurrency in the same run. */
export function ratios(points: readonly Point[], p: Point): Ratios {
  const floor = (mode: Mode, scenario: string) =>
    points.find((q) => q.mode === mode && q.scenario === scenario && q.connections === p.connections && q.rps > 0);
  const r = (q?: Point) => (q ? p.rps / q.rps : undefined);
  return { hello: r(floor('hello-floor', 'hello')), node: r(floor('node-floor', p.scenario)), db: r(floor('db-floor', p.scenario)), flask: r(floor('flask-peer', p.scenario)) };
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

export const PROJECT_HEADER = ['scenario', 'mode', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'x hello', 'x node', 'x db', 'x flask', 'srv us/req', 'pg us/req'];
export const FLOOR_HEADER = ['scenario', 'floor', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'srv us/req', 'pg us/req'];

const order = (a: Point, b: Point, scenarios: readonly string[]) =>
  scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) || a.mode.localeCompare(b.mode) || a.connections - b.connections;

export function projectRows(points: readonly Point[], scenarios: readonly string[]): string[][] {
  return points
    .filter((p) => PROJECT_MODES.includes(p.mode))
    .sort((a, b) => order(a, b, scenarios))
    .map((p) => {
      const r = ratios(points, p);
      return [p.scenario, p.mode, String(p.connections), fmt(p.rps), ms(p.p50), ms(p.p99), nonOk(p), pct(r.hello), pct(r.node), pct(r.db), pct(r.flask), fmt(p.cpu.serverUs), fmt(p.cpu.postgresUs)];
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
