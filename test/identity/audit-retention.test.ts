import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startApp, type RunningApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

/**
 * The staff audit trail's retention (migration 023, AUDIT_RETENTION_DAYS): the minutely run
 * removes rows past the setting and nothing younger, and the trail stays append-only for the
 * app role (no UPDATE, no DELETE, not even with the pruning setting turned on).
 */
let db: TestDatabase;
let app: RunningApp;
let asApp: pg.Client;
const retentionDays = 400;

before(async () => {
  db = await createTestDatabase();
  // A setting other than the default, so the test shows the run reads it.
  app = await startApp(db.appUrl, { AUDIT_RETENTION_DAYS: String(retentionDays) });
  asApp = new pg.Client({ connectionString: db.appUrl });
  await asApp.connect();
});
after(async () => {
  await asApp.end();
  await app.close();
  await db.drop();
});

/** Inserts one row (as the owner, which may set `at`) aged `days`, and returns its id. */
async function lineAged(days: number, action = 'appointment.read'): Promise<string> {
  const { rows } = await db.owner.query(
    "INSERT INTO staff_audit (at, actor_sub, actor_name, actor_role, action, appointment_ids) VALUES (now() - make_interval(days => $1), 'sub-retention', 'Retention Test', 'reception', $2, '{1}') RETURNING id",
    [days, action],
  );
  return String(rows[0].id);
}

const ids = async () => (await db.owner.query('SELECT id::text FROM staff_audit ORDER BY id')).rows.map((r) => r.id as string);

describe('staff audit retention', () => {
  test('the minutely run removes rows older than AUDIT_RETENTION_DAYS and keeps every younger one', async () => {
    const old = [await lineAged(retentionDays + 1), await lineAged(3000)];
    const kept = [await lineAged(retentionDays - 1), await lineAged(366), await lineAged(0)];
    const { runScheduled } = await import('../../functions/outbox-relay/index');
    const { database } = await import('../../functions/core/db');
    const run = await runScheduled(database());
    assert.equal(run.staffAuditPruned, 2);
    const left = await ids();
    for (const id of old) assert.ok(!left.includes(id), `row ${id} is past retention and was kept`);
    for (const id of kept) assert.ok(left.includes(id), `row ${id} is within retention and was removed`);
    assert.equal((await runScheduled(database())).staffAuditPruned, 0, 'a second run has nothing to do');
  });

  test('the default keeps six years, and a setting under a year stops the process', async () => {
    const { readConfig, ConfigError } = await import('../../functions/core/config');
    assert.equal(readConfig({}).auditRetentionDays, 2190);
    assert.equal(readConfig({ AUDIT_RETENTION_DAYS: '365' }).auditRetentionDays, 365);
    assert.throws(() => readConfig({ AUDIT_RETENTION_DAYS: '364' }), (err: Error) => err instanceof ConfigError && /AUDIT_RETENTION_DAYS/.test(err.message));
  });

  test('the database refuses to prune under a year, whoever asks', async () => {
    await assert.rejects(asApp.query('SELECT prune_staff_audit(364)'), /at least 365 days/);
    await assert.rejects(db.owner.query('SELECT prune_staff_audit(0)'), /at least 365 days/);
  });

  test('the app role still cannot UPDATE or DELETE a row, old or new, even with the pruning setting on', async () => {
    const old = await lineAged(5000);
    const young = await lineAged(1);
    for (const id of [old, young]) {
      await assert.rejects(asApp.query('DELETE FROM staff_audit WHERE id = $1', [id]), /permission denied/);
      await assert.rejects(asApp.query("UPDATE staff_audit SET actor_name = 'x' WHERE id = $1", [id]), /permission denied/);
      await asApp.query('BEGIN');
      await asApp.query("SELECT set_config('clinic.pruning_staff_audit', 'on', true)");
      await assert.rejects(asApp.query('DELETE FROM staff_audit WHERE id = $1', [id]), /permission denied/);
      await asApp.query('ROLLBACK');
    }
    await assert.rejects(asApp.query('TRUNCATE staff_audit'), /permission denied|append-only/);
    assert.ok((await ids()).includes(old) && (await ids()).includes(young));
  });

  test('outside the pruning function even the owner cannot change or remove a row, and the setting opens no young row', async () => {
    const old = await lineAged(5000);
    const young = await lineAged(10);
    await assert.rejects(db.owner.query('DELETE FROM staff_audit WHERE id = $1', [old]), /append-only/);
    await assert.rejects(db.owner.query("UPDATE staff_audit SET actor_name = 'x' WHERE id = $1", [old]), /append-only/);
    await db.owner.query('BEGIN');
    await db.owner.query("SELECT set_config('clinic.pruning_staff_audit', 'on', true)");
    await assert.rejects(db.owner.query('DELETE FROM staff_audit WHERE id = $1', [young]), /append-only/);
    await db.owner.query('ROLLBACK');
    await assert.rejects(db.owner.query('TRUNCATE staff_audit'), /append-only/);
    assert.ok((await ids()).includes(old));
  });

  test('a prune works in batches, oldest first', async () => {
    await asApp.query('SELECT prune_staff_audit(365, 100000)'); // what earlier tests left
    const aged = [await lineAged(4000), await lineAged(3900), await lineAged(3800)];
    const { rows } = await asApp.query('SELECT prune_staff_audit(365, 2) AS pruned');
    assert.equal(rows[0].pruned, 2);
    const left = await ids();
    assert.ok(!left.includes(aged[0]) && !left.includes(aged[1]) && left.includes(aged[2]));
    assert.equal((await asApp.query('SELECT prune_staff_audit(365, 2) AS pruned')).rows[0].pruned, 1, 'the last aged row');
  });

  test('what a prune costs (measured, not asserted): a batch of 10,000 due rows, and a run with nothing due', async () => {
    const { StaffAuditRepo } = await import('../../functions/core/db/repos/staff-audit');
    const { database } = await import('../../functions/core/db');
    await db.owner.query(
      "INSERT INTO staff_audit (at, actor_sub, actor_role, action, appointment_ids) SELECT now() - interval '3000 days' + make_interval(secs => n), 'sub-bulk', 'reception', 'appointments.list', ARRAY[n::bigint] FROM generate_series(1, 30000) n",
    );
    await db.owner.query('ANALYZE staff_audit');
    const repo = new StaffAuditRepo(database());
    const timed = async () => {
      const began = performance.now();
      const pruned = await repo.prune(retentionDays);
      return { pruned, ms: performance.now() - began };
    };
    const batches = [await timed(), await timed(), await timed(), await timed()];
    assert.deepEqual(batches.map((b) => b.pruned), [10_000, 10_000, 10_000, 0]);
    console.log(`prune_staff_audit: ${batches.slice(0, 3).map((b) => `${Math.round(b.ms)} ms`).join(', ')} for 10,000 rows each; ${batches[3].ms.toFixed(1)} ms with nothing due`);
  });
});
