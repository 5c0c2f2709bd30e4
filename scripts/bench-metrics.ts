import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort } from './lib/ports';
import { ensureClinicDatabase, startEmbeddedPostgres } from './lib/postgres';
import { migrate } from './migrate';

/**
 * What recording metrics costs a request (issue 13): the same one-process server with
 * recording on and off (functions/core/metrics.ts setRecording), loaded in interleaved rounds
 * so that other work on the machine hits both alike. Request ids (X-Request-Id, the log
 * context) stay on in both: they are not optional. One run, figures printed, nothing asserted.
 *
 * `--control` runs the same rounds with recording off in both servers: the difference it shows
 * is the noise of the machine, against which the real one is to be read.
 *
 *   npx tsx scripts/bench-metrics.ts [--seconds 8] [--rounds 3] [--connections 10] [--control]
 */
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const seconds = arg('seconds', 8);
const rounds = arg('rounds', 3);
const connections = arg('connections', 10);
const control = process.argv.includes('--control');
const root = join(__dirname, '..');

function startServer(mode: 'on' | 'off', env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'lib', 'metrics-bench', 'server.ts'), mode], {
    env: { ...process.env, ...env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.once('exit', (code) => reject(new Error(`metrics-${mode} server exited with ${code}`)));
  });
}

/** CPU seconds a process has used (user + system), from /proc: robust where wall-clock throughput is not. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(url: string, durationS: number, pid: number) {
  const cpu = cpuSeconds(pid);
  const result = await autocannon({ url, connections, duration: durationS });
  const cpuUs = ((cpuSeconds(pid) - cpu) * 1e6) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs, non2xx: result.non2xx, errors: result.errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clinic-metrics-bench-'));
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const servers: ChildProcess[] = [];
  try {
    const { ownerUrl, appUrl } = await ensureClinicDatabase(cluster.adminUrl, 'healthcare', cluster.secrets);
    await migrate(ownerUrl);
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    const { rows } = await owner.query("INSERT INTO doctors (name, specialty, timezone, slot_minutes) VALUES ('Dr Bench', 'General practice', 'UTC', 30) RETURNING id");
    const doctorId = rows[0].id as number;
    for (let weekday = 1; weekday <= 7; weekday++) {
      await owner.query("INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at) VALUES ($1, $2, '09:00', '17:00')", [doctorId, weekday]);
    }
    await owner.end();
    const date = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

    const env = { DATABASE_URL: appUrl, PG_POOL_SIZE: '10' };
    const on = await startServer(control ? 'off' : 'on', env);
    const off = await startServer('off', env);
    servers.push(on.child, off.child);

    const scenarios = [
      ['GET /healthz', '/healthz'],
      ['GET /api/doctors', '/api/doctors'],
      ['GET /api/doctors/:id/slots', `/api/doctors/${doctorId}/slots?date=${date}`],
    ] as const;
    console.log(`${control ? 'CONTROL (recording off in both; "on" is a second off server)' : 'metrics on vs off'}: ${connections} connections, ${rounds} interleaved rounds of ${seconds} s each, Node ${process.version}`);
    console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('| scenario | on req/s | off req/s | on/off | on p50 ms | off p50 ms | on p99 ms | off p99 ms | on CPU µs/req | off CPU µs/req | non-2xx |');
    console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const [name, path] of scenarios) {
      await load(on.url + path, 2, on.child.pid!);
      await load(off.url + path, 2, off.child.pid!);
      const got = { on: [] as Awaited<ReturnType<typeof load>>[], off: [] as Awaited<ReturnType<typeof load>>[] };
      for (let r = 0; r < rounds; r++) {
        // Alternate which goes first, so a trend in the machine's load favours neither.
        const order = r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
        for (const mode of order) {
          const server = mode === 'on' ? on : off;
          got[mode].push(await load(server.url + path, seconds, server.child.pid!));
        }
      }
      const m = (mode: 'on' | 'off', k: 'rps' | 'p50' | 'p99' | 'cpuUs') => median(got[mode].map((x) => x[k]));
      const bad = [...got.on, ...got.off].reduce((n, x) => n + x.non2xx + x.errors, 0);
      console.log(
        `| \`${name}\` | ${m('on', 'rps').toFixed(0)} | ${m('off', 'rps').toFixed(0)} | ${((100 * m('on', 'rps')) / m('off', 'rps')).toFixed(1)}% | ${m('on', 'p50')} | ${m('off', 'p50')} | ${m('on', 'p99')} | ${m('off', 'p99')} | ${m('on', 'cpuUs').toFixed(0)} | ${m('off', 'cpuUs').toFixed(0)} | ${bad} |`,
      );
    }
    const text = await (await fetch(`${on.url}/metrics`)).text();
    console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    console.log(`\n/metrics after the run: ${series} series, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`);
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) await (await fetch(`${on.url}/metrics`)).text();
    console.log(`a scrape takes ${((performance.now() - t0) / 50).toFixed(2)} ms (mean of 50, outbox read cached)`);
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
