import { writeFileSync } from 'node:fs';
import { runHttp, runLoops, summarise, type HttpLoad, type Measurement, type Slice } from './load';
import type { BenchOptions } from './options';
import { monotonicUs, type Window } from './profile';
import type { ServerChild } from './processes';
import type { FloorDb } from './queries';
import type { Mode, Point } from './report';
import { scenarios, type Scenario, type ScenarioContext, type ScenarioName } from './scenarios';

/** A server the scenarios are measured against, beside the function instance. */
export interface Target {
  mode: Mode;
  child: ServerChild;
  /** Floors get the shorter floor duration. */
  floor: boolean;
  /** Measured at every swept concurrency, or only at the one the targets are stated at. */
  sweep: boolean;
  /** Only these scenarios (a peer that implements only some paths); default every one. */
  only?: readonly ScenarioName[];
}

export interface MeasureContext {
  opts: BenchOptions;
  ctx: ScenarioContext;
  /** Functions that have a bundle; a scenario whose function has none is skipped, and said so. */
  fns: string[];
  buildNote: string;
  concurrencies: number[];
  /** Starts one function alone, as one Knative instance. */
  instance(fn: string): Promise<ServerChild>;
  targets: Target[];
  floorDb?: FloorDb;
  pgCpu?: () => number;
  /** Where the page's HTML goes once render-page answered, for the Node floor to serve. */
  pageFile: string;
  say(line?: string): void;
  /** Filled with when each mode was under measured load, keyed `mode:fn`, for --profile. */
  windows?: Map<string, Window[]>;
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

/**
 * The framework floor, then every scenario: its function alone over the sweep, the other
 * targets beside it, and the same SQL with no HTTP; each point in interleaved rounds.
 */
export async function measureScenarios(m: MeasureContext, hello: (() => Promise<ServerChild>) | undefined): Promise<{ points: Point[]; skipped: Array<{ scenario: string; mode: string; reason: string }> }> {
  const { opts, ctx, say } = m;
  const points: Point[] = [];
  const skipped: Array<{ scenario: string; mode: string; reason: string }> = [];
  const record = (scenario: string, mode: Mode, connections: number, x: Measurement) => {
    points.push({ scenario, mode, connections, ...x });
    const codes = x.non2xx ? `  non-2xx ${x.non2xx}` : '';
    say(`  ${scenario.padEnd(9)} ${mode.padEnd(12)} c=${String(connections).padEnd(3)} ${String(Math.round(x.rps)).padStart(6)} req/s  p50 ${x.p50} ms  p99 ${x.p99} ms${codes}${x.errors ? `  errors ${x.errors}` : ''}`);
  };
  const warmed = new Set<string>();

  // The framework floor, once: it does not depend on the scenario.
  if (hello) {
    say('\nframework floor: a Functions Framework "hello" function');
    const server = await hello();
    for (const c of m.concurrencies) {
      const load: HttpLoad = { url: server.url, connections: c, durationS: opts.floorDurationS, method: 'GET', path: '/' };
      if (!warmed.has('hello') && opts.warmupS) await runHttp({ ...load, connections: Math.max(c, 4), durationS: opts.warmupS });
      warmed.add('hello');
      record('hello', 'hello-floor', c, summarise([await runHttp({ ...load, progress: `hello floor c=${c}` }, { server: server.cpuSeconds, postgres: m.pgCpu })]));
    }
    await server.stop();
  }

  let bookRate = 1_500;
  for (const name of opts.scenarios) {
    const sc = scenarios[name];
    if (!m.fns.includes(sc.fn)) {
      const reason = `functions/${sc.fn} has no bundle (${m.buildNote})`;
      skipped.push({ scenario: name, mode: 'all', reason });
      say(`\n${name}: skipped (${reason})`);
      continue;
    }
    say(`\n${name}: ${sc.what}`);
    let instance: ServerChild;
    try {
      instance = await m.instance(sc.fn);
    } catch (err) {
      skipped.push({ scenario: name, mode: 'all', reason: `${sc.fn} did not start: ${(err as Error).message.split('\n')[0]}` });
      say(`  skipped: ${sc.fn} did not start:\n${(err as Error).message}`);
      continue;
    }
    const load = sc.http(ctx);
    const targets: Target[] = [{ mode: 'instance', child: instance, floor: false, sweep: !opts.skip.has('sweep') }, ...m.targets.filter((t) => !t.only || t.only.includes(name))];
    if (name === 'page') {
      const html = await probe(instance.url, load);
      if (html.status === 200) writeFileSync(m.pageFile, html.body);
    }
    // One request to each server first: a point is only measured where it answers 2xx.
    const usable: Target[] = [];
    for (const t of targets) {
      if (sc.books) await ctx.supply.ensure(5);
      const answer = await probe(t.child.url, load);
      if (answer.status >= 200 && answer.status < 300) usable.push(t);
      else {
        const reason = `${t.mode} answered ${answer.status} to a probe`;
        skipped.push({ scenario: name, mode: t.mode, reason });
        say(`  ${t.mode}: skipped, ${reason}`);
      }
    }
    const dbOp = m.floorDb && sc.db ? sc.db(ctx, m.floorDb) : undefined;

    for (const c of m.concurrencies) {
      const subjects: Array<{ mode: Mode; durationS: number; run: (durationS: number, progress?: string) => Promise<Slice> }> = [];
      if (dbOp) subjects.push({ mode: 'db-floor', durationS: opts.floorDurationS, run: (d, progress) => runLoops(c, d, dbOp, { postgres: m.pgCpu }, progress) });
      for (const t of usable) {
        if (!t.sweep && c !== opts.targetConnections) continue;
        subjects.push({
          mode: t.mode,
          durationS: t.floor ? opts.floorDurationS : opts.durationS,
          run: (d, progress) => runHttp({ ...load, url: t.child.url, connections: c, durationS: d, progress }, { server: t.child.cpuSeconds, postgres: m.pgCpu }),
        });
      }
      const ensureSlots = async (durationS: number) => {
        if (sc.books) await ctx.supply.ensure(Math.ceil(bookRate * durationS * 1.5) + 2 * c + 50);
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
          const began = monotonicUs();
          const slice = await subject.run(d, `${name} ${subject.mode} c=${c} round ${round + 1}/${opts.rounds}`);
          const key = `${subject.mode}:${subject.mode === 'instance' ? sc.fn : ''}`;
          m.windows?.set(key, [...(m.windows.get(key) ?? []), [began, monotonicUs()]]);
          if (sc.books) bookRate = Math.max(bookRate, Object.values(slice.statusCodes).reduce((a, b) => a + b, 0) / slice.seconds);
          slices.get(subject.mode)!.push(slice);
        }
      }
      for (const subject of subjects) record(name, subject.mode, c, summarise(slices.get(subject.mode)!));
    }
    await instance.stop();
  }
  if (ctx.supply.stats.exhausted) say(`\n  NOTE: the slot supply ran dry ${ctx.supply.stats.exhausted} times; those requests re-sent a taken slot (409)`);
  return { points, skipped };
}

