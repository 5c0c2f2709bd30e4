import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { APP_ROLE, OWNER_ROLE, startEmbeddedPostgres, type EmbeddedCluster } from '../../scripts/lib/postgres';
import { copyBundle, runBundle, startBundle } from './bundle';
import { root } from './manifests';

/**
 * The cluster's first start, on a fresh PostgreSQL of its own: the StatefulSet's init script
 * creates the roles and the database, the migration Job's bundle migrates and seeds as the
 * owner, and a function's bundle serves the seeded clinic as the app role, with the passwords
 * scripts/deploy would put in db-secret. Only the containers are missing.
 */

const initDir = join(root, 'knative', 'postgres', 'init');
const passwords = { owner: randomBytes(32).toString('hex'), app: randomBytes(32).toString('hex') };
let cluster: EmbeddedCluster & { secrets: { superuser: string } };
let dataDir: string;
const url = (user: string, password: string, database: string) => `postgres://${user}:${password}@127.0.0.1:${cluster.port}/${database}`;


before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'clinic-bootstrap-'));
  cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
});
after(async () => {
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function asSuperuser<T>(database: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url('postgres', encodeURIComponent(cluster.secrets.superuser), database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

test('the init script creates booking_owner, booking_app and the healthcare database', async (t) => {
  const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
  if (psql.status === 0) {
    // The script itself, as the postgres image's entrypoint runs it (over TCP here).
    const run = spawnSync('bash', [join(initDir, '10-clinic-roles.sh')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        POSTGRES_USER: 'postgres',
        PGHOST: '127.0.0.1',
        PGPORT: String(cluster.port),
        PGPASSWORD: cluster.secrets.superuser,
        BOOKING_OWNER_PASSWORD: passwords.owner,
        BOOKING_APP_PASSWORD: passwords.app,
      },
    });
    assert.equal(run.status, 0, run.stderr);
    t.diagnostic(`ran 10-clinic-roles.sh with ${psql.stdout.trim()}`);
  } else {
    // No psql here (CI installs none): the same statements, with psql's :'variable' quoting.
    const script = readFileSync(join(initDir, '10-clinic-roles.sh'), 'utf8');
    assert.match(script, /--set=owner_password="\$\{BOOKING_OWNER_PASSWORD\}"/);
    assert.match(script, /--set=app_password="\$\{BOOKING_APP_PASSWORD\}"/);
    const sql = readFileSync(join(initDir, 'clinic-roles.psql'), 'utf8');
    await asSuperuser('postgres', async (c) => {
      const values: Record<string, string> = { owner_password: passwords.owner, app_password: passwords.app };
      const statements = sql
        .replace(/^--.*$/gm, '')
        .replace(/:'(\w+)'/g, (_, name: string) => c.escapeLiteral(values[name]))
        .split(/;\s*$/m)
        .map((s) => s.trim())
        .filter(Boolean);
      // One at a time, as psql sends them: CREATE DATABASE refuses a transaction block.
      for (const statement of statements) await c.query(statement);
    });
    t.diagnostic('psql is not installed: ran clinic-roles.psql through node-postgres instead');
  }

  await asSuperuser('postgres', async (c) => {
    const { rows } = await c.query(
      `SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit
         FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`,
      [[APP_ROLE, OWNER_ROLE]],
    );
    assert.deepEqual(
      rows.map((r) => [r.rolname, r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls]),
      [
        [APP_ROLE, true, false, false, false, false, false],
        [OWNER_ROLE, true, false, false, false, false, false],
      ],
    );
    assert.equal(rows[0].rolconnlimit, 260, "booking_app's connection limit, as in knative/README.md");
    const db = await c.query(`SELECT pg_get_userbyid(datdba) AS owner, has_database_privilege('public', oid, 'CONNECT') AS public_connect FROM pg_database WHERE datname = 'healthcare'`);
    assert.deepEqual(db.rows, [{ owner: OWNER_ROLE, public_connect: false }]);
  });
});

test('the migration Job’s bundle migrates and seeds as booking_owner, and runs again harmlessly', async () => {
  const bundle = copyBundle('migrate');
  try {
    const env = { DATABASE_OWNER_URL: url(OWNER_ROLE, passwords.owner, 'healthcare'), SEED_DEMO: 'true' };
    const first = await runBundle(bundle.dir, env);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /demo clinic loaded/);
    const again = await runBundle(bundle.dir, env);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /seed skipped/);
    const wrong = await runBundle(bundle.dir, { DATABASE_OWNER_URL: url(OWNER_ROLE, 'not-the-password', 'healthcare') });
    assert.notEqual(wrong.code, 0, 'a wrong password fails the Job');
    assert.ok(!wrong.output.includes(passwords.owner));
  } finally {
    bundle.remove();
  }
});

test('a function serves the seeded clinic as booking_app, which can do no more than it was granted', async () => {
  const appUrl = url(APP_ROLE, passwords.app, 'healthcare');
  const bundle = copyBundle('functions/availability');
  const app = await startBundle(bundle.dir, { DATABASE_URL: appUrl, FUNCTION_TARGET: 'availability' });
  try {
    const res = await fetch(`${app.url}/api/doctors`);
    assert.equal(res.status, 200, app.output());
    const { items } = (await res.json()) as { items: unknown[] };
    assert.ok(items.length > 0, 'the demo clinic has doctors');
  } finally {
    assert.equal((await app.kill()).code, 0);
    bundle.remove();
  }
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  try {
    await assert.rejects(client.query('CREATE TABLE intruder (id int)'), { code: '42501' });
    await assert.rejects(client.query('DELETE FROM appointments'), { code: '42501' });
  } finally {
    await client.end();
  }
});
