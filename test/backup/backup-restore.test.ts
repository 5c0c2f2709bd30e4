import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { parseAllDocuments } from 'yaml';
import { ensureClinicDatabase } from '../../scripts/lib/postgres';
import { migrate } from '../../scripts/migrate';
import { backup } from '../../scripts/backup';
import { DatabaseNotEmptyError, restore } from '../../scripts/restore';
import { populate, snapshot } from './dataset';
import { startPostgres15, type Postgres15 } from './postgres-for-pg-dump';

const APPOINTMENTS = 3_000;
let server: Postgres15;
let source: { ownerUrl: string; appUrl: string };
let dir: string;

before(async () => {
  server = await startPostgres15();
  process.env.PG_BIN = server.clientBin;
  source = await ensureClinicDatabase(server.adminUrl, 'healthcare', server.passwords);
  await migrate(source.ownerUrl);
  await populate(source.ownerUrl, { doctors: 12, appointments: APPOINTMENTS });
  dir = mkdtempSync(join(tmpdir(), 'clinic-backups-'));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function count(url: string, table: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query(`SELECT count(*)::int AS n FROM ${table}`);
  await c.end();
  return rows[0].n;
}

function assertSame(a: Map<string, string[]>, b: Map<string, string[]>): void {
  assert.deepEqual([...b.keys()], [...a.keys()], 'the same tables');
  for (const [what, rows] of a) {
    const other = b.get(what)!;
    const i = rows.findIndex((r, j) => r !== other[j]);
    assert.equal(other.length, rows.length, `${what}: ${other.length} restored, ${rows.length} backed up`);
    assert.equal(i, -1, `${what}: row ${i} differs:\n  ${rows[i]}\n  ${other[i]}`);
  }
}

describe('backup and restore (real pg_dump and pg_restore)', () => {
  test('the dataset fills every table the app writes', async () => {
    assert.equal(await count(source.ownerUrl, 'appointments'), APPOINTMENTS);
    for (const table of ['doctors', 'working_hours', 'idempotency_keys', 'outbox', 'audit_log']) {
      assert.ok((await count(source.ownerUrl, table)) > 0, `${table} is empty`);
    }
  });

  test('a restored archive is the same database: every row of every table, grants, policies, constraints', async () => {
    const before = await snapshot(source.ownerUrl);
    const file = join(dir, 'round-trip.dump');
    const { bytes } = await backup(source.ownerUrl, file);
    assert.ok(bytes > 10_000);
    assert.ok(!existsSync(`${file}.partial`));
    const target = await ensureClinicDatabase(server.adminUrl, 'healthcare_restored', server.passwords);
    await restore(target.ownerUrl, file);
    assertSame(before, await snapshot(target.ownerUrl));
    assertSame(before, await snapshot(source.ownerUrl));

    // The app can use it as it used the original: its grants, the double-booking constraint
    // and the database's statement_timeout came back.
    const app = new pg.Client({ connectionString: target.appUrl });
    await app.connect();
    try {
      assert.equal((await app.query('SHOW statement_timeout')).rows[0].statement_timeout, '10s');
      const { rows } = await app.query("SELECT doctor_id, appointment_time, end_time FROM appointments WHERE status = 'booked' LIMIT 1");
      await assert.rejects(
        app.query(
          "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256('r'), 'Double', $1, $2, $3)",
          [rows[0].doctor_id, rows[0].appointment_time, rows[0].end_time],
        ),
        /appointments_no_double_booking/,
      );
      const inserted = await app.query(
        "INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time) VALUES (sha256('s'), 'After restore', $1, '2040-01-01T09:00Z', '2040-01-01T09:30Z') RETURNING id",
        [rows[0].doctor_id],
      );
      const maxBefore = Math.max(...before.get('rows of public.appointments')!.map((r) => Number(r.slice(1, r.indexOf(',')))));
      assert.ok(Number(inserted.rows[0].id) > maxBefore, 'the identity sequence continues after the restored rows');
    } finally {
      await app.end();
    }
  });

  test('a database that is not empty is refused, and left as it was', async () => {
    const file = join(dir, 'again.dump');
    await backup(source.ownerUrl, file);
    const before = await snapshot(source.ownerUrl);
    await assert.rejects(restore(source.ownerUrl, file), (err: Error) => err instanceof DatabaseNotEmptyError && /not empty/.test(err.message));
    assertSame(before, await snapshot(source.ownerUrl));
  });

  test('a failed backup leaves no file behind', async () => {
    const file = join(dir, 'failed.dump');
    const url = new URL(source.ownerUrl);
    url.pathname = '/no_such_database';
    await assert.rejects(backup(url.toString(), file), /pg_dump failed/);
    assert.ok(!existsSync(file) && !existsSync(`${file}.partial`));
  });

  test("the CronJob's own script writes a readable archive and deletes only archives past retention", async () => {
    const docs = parseAllDocuments(readFileSync(join(__dirname, '..', '..', 'knative', 'postgres', 'backup-cronjob.yaml'), 'utf8')).map((d) => d.toJS());
    const cron = docs.find((d) => d.kind === 'CronJob');
    const container = cron.spec.jobTemplate.spec.template.spec.containers[0];
    assert.deepEqual(container.command, ['bash', '-c']);
    const script: string = container.args[0];
    const fixed = Object.fromEntries(container.env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));
    assert.equal(fixed.PGDATABASE, 'healthcare');

    const backups = mkdtempSync(join(tmpdir(), 'clinic-cron-'));
    const day = 86_400;
    const now = Date.now() / 1000;
    const aged = (name: string, days: number) => {
      writeFileSync(join(backups, name), 'old');
      utimesSync(join(backups, name), now - days * day, now - days * day);
    };
    aged('healthcare-20250101T021500Z.dump', 30);
    aged('healthcare-20250102T021500Z.dump', Number(fixed.RETENTION_DAYS) - 2);
    aged('notes-20250101T021500Z.dump', 30);
    try {
      const url = new URL(source.ownerUrl);
      const { stdout } = await promisify(execFile)('bash', ['-c', script], {
        env: {
          PATH: `${server.clientBin}:${process.env.PATH}`,
          ...fixed,
          BACKUP_DIR: backups,
          PGHOST: url.hostname,
          PGPORT: url.port,
          PGUSER: url.username,
          PGPASSWORD: decodeURIComponent(url.password),
        },
      });
      assert.match(stdout, /backup written: healthcare-\d{8}T\d{6}Z\.dump/);
      const left = readdirSync(backups).sort();
      assert.ok(!left.includes('healthcare-20250101T021500Z.dump'), 'the 30-day-old archive is deleted');
      assert.ok(left.includes('healthcare-20250102T021500Z.dump'), 'an archive inside retention is kept');
      assert.ok(left.includes('notes-20250101T021500Z.dump'), 'a file of another name is not touched');
      const written = left.filter((f) => /^healthcare-\d{8}T\d{6}Z\.dump$/.test(f) && !f.startsWith('healthcare-2025'));
      assert.equal(written.length, 1);
      assert.ok(!left.some((f) => f.endsWith('.partial')));

      const target = await ensureClinicDatabase(server.adminUrl, 'healthcare_from_cron', server.passwords);
      await restore(target.ownerUrl, join(backups, written[0]));
      assert.equal(await count(target.ownerUrl, 'appointments'), APPOINTMENTS);
    } finally {
      rmSync(backups, { recursive: true, force: true });
    }
  });
});
