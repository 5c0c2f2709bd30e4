import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ColdStart, ConnectionCheck } from './checks';
import { FLOOR_HEADER, NOISE_NOTE, PROJECT_HEADER, floorRows, markdownTable, projectRows, table, type Point } from './report';
import type { RushResult } from './rush';
import type { ScalePoint } from './scale';
import type { Knees, TargetCheck } from './targets';

export interface Machine {
  cpus: number;
  cpuModel: string | undefined;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  database: string;
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

export interface Settings {
  durationS: number;
  floorDurationS: number;
  warmupS: number;
  rounds: number;
  concurrencies: number[];
  targetConnections: number;
  poolSize: number;
  build: string;
}

/** Everything one run measured: written as JSON, printed, and rendered as the README section. */
export interface BenchResult {
  startedAt: string;
  runtimeS: number;
  machine: Machine;
  settings: Settings;
  scenarioOrder: string[];
  points: Point[];
  skipped: Array<{ scenario: string; mode: string; reason: string }>;
  targets: TargetCheck[];
  knees: Knees;
  coldStarts: ColdStart[];
  connectionCheck?: ConnectionCheck;
  /** The rush against each server it ran against (one-process, the Flask peer). */
  rush: Array<RushResult & { mode: string }>;
  rushSettings?: { patients: number; overS: number; days: readonly string[]; retries: number; sockets: number };
  scale: ScalePoint[];
}

const RUSH_HEADER = ['server', 'patients', 'booked', 'bookings/s', 'flow p50 ms', 'flow p99 ms', '409 share', 'fully booked', 'gave up', 'failed', '5xx', 'double bookings'];
const rushRows = (r: BenchResult) =>
  r.rush.map((x) => [x.mode, String(x.patients), String(x.outcomes.booked), x.bookingsPerS.toFixed(0), String(x.flowP50), String(x.flowP99), `${(x.conflictShare * 100).toFixed(1)}%`, String(x.outcomes['fully-booked']), String(x.outcomes['gave-up']), String(x.outcomes.failed), String(x.status5xx), String(x.doubleBookings)]);
const rushNote = (r: BenchResult) =>
  r.rushSettings
    ? `${r.rushSettings.patients} patients arriving evenly over ${r.rushSettings.overS} s, sharing ${r.rushSettings.sockets} keep-alive sockets; each lists the doctors, picks one and one of ${r.rushSettings.days.join(', ')}, fetches the day, books a random free slot, and on 409 refetches and retries (at most ${r.rushSettings.retries} times). A day with no free slot ends the flow as "fully booked". Double bookings are counted in the database afterwards, over the whole table.`
    : '';

const SCALE_HEADER = ['scenario', 'function', 'instances', 'conns', 'req/s', 'x N=1', 'p50 ms', 'p99 ms', 'non-2xx', 'srv us/req', 'pg us/req', 'backends'];
const scaleRows = (r: BenchResult) =>
  r.scale.map((p) => {
    const one = r.scale.find((q) => q.scenario === p.scenario && q.instances === 1);
    const f = (x: number | undefined) => (x === undefined ? '-' : String(x));
    return [p.scenario, p.fn, String(p.instances), String(p.connections), String(p.rps), one ? (p.rps / one.rps).toFixed(2) : '-', String(p.p50), String(p.p99), `${p.non2xx}${p.errors ? ` +${p.errors} err` : ''}`, f(p.serverUs), f(p.postgresUs), f(p.backends)];
  });

export function terminalSummary(r: BenchResult): string {
  const lines: string[] = [];
  const say = (line = '') => lines.push(line);
  say('='.repeat(100));
  say(`results (${NOISE_NOTE})`);
  say("ratios: the project's req/s over each floor's at the same connections; srv/pg us/req: CPU microseconds per request in the server process and in PostgreSQL\n");
  say(table(PROJECT_HEADER, projectRows(r.points, r.scenarioOrder)));
  if (r.points.some((p) => p.mode.endsWith('floor'))) {
    say('\nfloors');
    say(table(FLOOR_HEADER, floorRows(r.points, r.scenarioOrder)));
  }
  for (const s of r.skipped) say(`  skipped: ${s.scenario} (${s.mode}): ${s.reason}`);
  if (r.scale.length) {
    say('\nN-instance curve (N bundles of one function, one PostgreSQL; autocannon spreads its connections over their ports)');
    say(table(SCALE_HEADER, scaleRows(r)));
  }
  if (r.rush.length) {
    say(`\nrush: ${rushNote(r)}`);
    say(table(RUSH_HEADER, rushRows(r)));
    for (const x of r.rush) for (const f of x.failures) say(`  ${x.mode} failure: ${f}`);
  }
  say('\ntargets');
  for (const t of r.targets) say(`  ${t.met === undefined ? 'n/a ' : t.met ? 'met ' : 'MISS'}  ${t.what}: ${t.measured} (target ${t.target})`);
  say('\nsingle-instance knee and Knative target');
  for (const k of r.knees.all) say(`  ${k.scenario.padEnd(9)} ${k.fn.padEnd(18)} ${k.turnsUpAt ? `turns up at c=${k.turnsUpAt} (${k.why})` : k.why}; sweep ${k.sweep.map((s) => `c${s.c}:${Math.round(s.rps)}/s,p99 ${s.p99}`).join('  ')}`);
  for (const [fn, target] of Object.entries(r.knees.byFunction)) say(`  ${fn}: autoscaling.knative.dev/target: "${target}"`);
  if (r.coldStarts.length) {
    say('\ncold start (median)');
    for (const c of r.coldStarts) say(`  ${c.fn.padEnd(20)} ${c.medianMs !== undefined ? `${c.medianMs} ms` : `failed: ${c.error}`}`);
  }
  const conn = r.connectionCheck;
  if (conn) {
    say('\n409 connection check');
    say(`  ${conn.conflicts} x 409 (${conn.withIdempotencyKey} of them inside an Idempotency-Key transaction); backends of create-booking before: [${conn.backendsBefore.join(', ')}], after: [${conn.backendsAfter.join(', ')}]; new backends: ${conn.newBackends}`);
    for (const b of conn.bursts) say(`  burst (${b.what}, c=${conn.connections}): ${Math.round(b.rps)} req/s, p99 ${b.p99} ms, statuses ${JSON.stringify(b.statusCodes)}`);
  }
  say(`\nmachine load average at start ${r.machine.loadAverageStart.join(' ')}, at end ${r.machine.loadAverageEnd.join(' ')}`);
  say(`total bench runtime ${Math.round(r.runtimeS)} s`);
  return lines.join('\n');
}

export function markdownReport(r: BenchResult): string {
  const m = r.machine;
  const s = r.settings;
  const lines = [
    `Run of ${r.startedAt} (total ${Math.round(r.runtimeS)} s): ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgres} (${m.database}); load average ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd.join(' ')} at end. `
      + `${s.durationS} s per point (${s.floorDurationS} s per floor point), taken in ${s.rounds} slices interleaved with the other modes at the same concurrency; ${s.warmupS} s warm-up before each server's first point; connections ${s.concurrencies.join(', ')}; pool size ${s.poolSize}; ${s.build}.`,
    '',
    `> ${NOISE_NOTE}`,
    '',
    markdownTable(PROJECT_HEADER, projectRows(r.points, r.scenarioOrder)),
    '',
    'Floors, same run, same database:',
    '',
    markdownTable(FLOOR_HEADER, floorRows(r.points, r.scenarioOrder)),
    '',
    ...(r.skipped.length ? [...r.skipped.map((k) => `- skipped ${k.scenario} (${k.mode}): ${k.reason}`), ''] : []),
    ...(r.scale.length
      ? ['**N-instance curve** (N processes of one function\'s bundle against the one PostgreSQL, as N Knative pods of one Service; autocannon spreads its connections over their ports)', '', markdownTable(SCALE_HEADER, scaleRows(r)), '']
      : []),
    ...(r.rush.length ? [`**Rush**: ${rushNote(r)}`, '', markdownTable(RUSH_HEADER, rushRows(r)), ''] : []),
    '**Targets**',
    '',
    markdownTable(['target', 'wanted', 'measured', 'met'], r.targets.map((t) => [t.what, t.target, t.measured, t.met === undefined ? 'n/a' : t.met ? 'yes' : '**no**'])),
    '',
    '**Single-instance knee** (the first swept concurrency where p99 more than doubles over c=1, or req/s grows less than 10% over the previous point; that knee is the recommended target, and a Service serving several scenarios takes the lowest)',
    '',
    markdownTable(
      ['scenario', 'function', 'sweep (req/s, p99 ms)', 'turns up at', 'why', 'target'],
      r.knees.all.map((k) => [k.scenario, k.fn, k.sweep.map((x) => `c${x.c}: ${Math.round(x.rps)}, ${x.p99}`).join('; '), k.turnsUpAt ? `c=${k.turnsUpAt}` : '-', k.why, String(k.recommended)]),
    ),
    '',
    ...Object.entries(r.knees.byFunction).map(([fn, t]) => `- \`${fn}\`: \`autoscaling.knative.dev/target: "${t}"\``),
    '',
  ];
  if (r.coldStarts.length) {
    lines.push('**Cold start** (spawn of the bundle to its first 200 on /healthz)', '');
    lines.push(markdownTable(['function', 'median ms', 'runs ms'], r.coldStarts.map((c) => [c.fn, c.medianMs !== undefined ? String(c.medianMs) : `failed: ${c.error}`, c.runs.join(', ')])), '');
  }
  const conn = r.connectionCheck;
  if (conn) {
    lines.push(
      `**409 and connections**: ${conn.conflicts} bookings of a taken slot (${conn.withIdempotencyKey} of them with an Idempotency-Key, so inside a transaction) against create-booking alone; `
        + `its PostgreSQL backends (pg_stat_activity by application_name) were [${conn.backendsBefore.join(', ')}] before and [${conn.backendsAfter.join(', ')}] after: ${conn.newBackends} new. `
        + `Bursts at ${conn.connections} connections: ${conn.bursts.map((b) => `${b.what} ${Math.round(b.rps)} req/s, p99 ${b.p99} ms, statuses ${JSON.stringify(b.statusCodes)}`).join('; ')}.`,
      '',
    );
  }
  return lines.join('\n');
}

const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

/** Replaces the generated part of `file` (bench/README.md); the prose around it stays. */
export function publishReadme(file: string, report: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const at = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const section = `${BEGIN}\n${report}\n${END}`;
  const next = at >= 0 && end > at ? current.slice(0, at) + section + current.slice(end + END.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
