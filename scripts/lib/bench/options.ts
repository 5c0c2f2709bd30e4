import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './scenarios';

export interface BenchOptions {
  /** Owner-role (or superuser) URL of an existing database; unset: a throwaway embedded PostgreSQL. */
  url?: string;
  /** App-role URL the servers use with --url; defaults to --url. */
  appUrl?: string;
  durationS: number;
  floorDurationS: number;
  warmupS: number;
  /** Each point is taken in this many slices, interleaved with the other modes' slices at that concurrency. */
  rounds: number;
  sweep: number[];
  /** The concurrency the targets are stated at. */
  targetConnections: number;
  scenarios: ScenarioName[];
  coldStarts: number;
  poolSize: number;
  build: boolean;
  profile: boolean;
  publish: boolean;
  skip: Set<Skippable>;
  rush: { patients: number; overS: number; days: number; sockets: number };
  /** Instance counts of the N-instance curve. */
  instances: number[];
  /** Connections per instance in the N-instance curve. */
  perInstance: number;
  flaskWorkers?: number;
}

export const SKIPPABLE = ['floors', 'sweep', 'cold-start', 'conn-check', 'one-process', 'flask', 'rush', 'scale'] as const;
export type Skippable = (typeof SKIPPABLE)[number];

export const USAGE = `npm run bench -- [options]

  --url <DATABASE_URL>     use this database (owner role, for migrations and the data set)
                           instead of a throwaway embedded PostgreSQL
  --app-url <URL>          app-role URL for the servers with --url (default: --url)
  --duration <s>           seconds per measured point (default 5)
  --floor-duration <s>     seconds per floor point (default 3)
  --warmup <s>             seconds of unmeasured load before each server's first point (default 1)
  --rounds <n>             slices per point, interleaved across modes (default 3)
  --concurrency <list>     single-instance sweep (default 1,4,16,64)
  --connections <n>        the concurrency targets are stated at (default 10)
  --scenario <list>        ${SCENARIOS.join(',')} (default: all)
  --cold-starts <n>        spawns per function for the cold-start median (default 10)
  --skip <list>            ${SKIPPABLE.join(',')}
  --rush-patients <n>      virtual patients in the rush (default 1500)
  --rush-over <s>          seconds over which they arrive (default 10)
  --rush-days <n>          weekdays everyone asks for (default 2)
  --rush-sockets <n>       keep-alive sockets the patients share (default 64)
  --instances <list>       N-instance curve (default 1,2,4,8)
  --max-instances <n>      leave out the counts above n
  --per-instance <n>       connections per instance in that curve (default 10)
  --flask-workers <n>      gunicorn workers of the Flask peer (default 2 x cores + 1)
  --quick                  2 s points, 1 s floors, 1 round, sweep 1,16, 3 cold starts, a rush of
                           300 over 3 s, instances 1,2: for development
  --profile                run servers under node --cpu-prof; summaries printed, profiles in bench/results/profiles
  --publish                also write bench/chart.svg and the results section of bench/README.md
  --no-build               use the bundles already in dist/
`;

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not "${text}"`);
  return n;
}

export function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'app-url': { type: 'string' },
      duration: { type: 'string' },
      'floor-duration': { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      concurrency: { type: 'string' },
      connections: { type: 'string' },
      scenario: { type: 'string' },
      'cold-starts': { type: 'string' },
      skip: { type: 'string' },
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'rush-patients': { type: 'string' },
      'rush-over': { type: 'string' },
      'rush-days': { type: 'string' },
      'rush-sockets': { type: 'string' },
      instances: { type: 'string' },
      'max-instances': { type: 'string' },
      'per-instance': { type: 'string' },
      'flask-workers': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick!;
  const scenarios = values.scenario ? list(values.scenario) : [...SCENARIOS];
  for (const s of scenarios) if (!SCENARIOS.includes(s as ScenarioName)) throw new Error(`unknown scenario "${s}"; pick from ${SCENARIOS.join(', ')}`);
  const sweep = (values.concurrency ? list(values.concurrency) : quick ? ['1', '16'] : ['1', '4', '16', '64']).map((c) => Math.round(positive('concurrency', c, 1)));
  const skip = new Set(values.skip ? list(values.skip) : []);
  for (const s of skip) if (!SKIPPABLE.includes(s as Skippable)) throw new Error(`--skip does not know "${s}"`);
  const maxInstances = positive('max-instances', values['max-instances'], Infinity);
  const instances = (values.instances ? list(values.instances) : quick ? ['1', '2'] : ['1', '2', '4', '8']).map((n) => Math.round(positive('instances', n, 1))).filter((n) => n <= maxInstances);
  return {
    url: values.url,
    appUrl: values['app-url'],
    durationS: positive('duration', values.duration, quick ? 2 : 5),
    floorDurationS: positive('floor-duration', values['floor-duration'], quick ? 1 : 3),
    warmupS: values.warmup === '0' ? 0 : positive('warmup', values.warmup, 1),
    rounds: Math.round(positive('rounds', values.rounds, quick ? 1 : 3)),
    sweep,
    targetConnections: Math.round(positive('connections', values.connections, 10)),
    scenarios: scenarios as ScenarioName[],
    coldStarts: Math.round(positive('cold-starts', values['cold-starts'], quick ? 3 : 10)),
    poolSize: Number(process.env.PG_POOL_SIZE || 10),
    build: !values['no-build'],
    profile: values.profile!,
    publish: values.publish!,
    skip: skip as BenchOptions['skip'],
    rush: {
      patients: Math.round(positive('rush-patients', values['rush-patients'], quick ? 300 : 1500)),
      overS: positive('rush-over', values['rush-over'], quick ? 3 : 10),
      days: Math.round(positive('rush-days', values['rush-days'], 2)),
      sockets: Math.round(positive('rush-sockets', values['rush-sockets'], 64)),
    },
    instances,
    perInstance: Math.round(positive('per-instance', values['per-instance'], 10)),
    flaskWorkers: values['flask-workers'] ? Math.round(positive('flask-workers', values['flask-workers'], 1)) : undefined,
  };
}
