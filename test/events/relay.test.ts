import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import type { Db } from '../../functions/core/db';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startSink, type Sink } from './sink';

/** The relay on its own, against outbox rows arranged directly, with one or two relays at once. */
let db: TestDatabase;
let sink: Sink;
let relayA: Db;
let relayB: Db;
let relayOutbox: typeof import('../../functions/core/outbox').relayOutbox;

before(async () => {
  db = await createTestDatabase();
  sink = await startSink();
  process.env.DATABASE_URL = db.appUrl;
  const { pgp } = await import('../../functions/core/db');
  ({ relayOutbox } = await import('../../functions/core/outbox'));
  // Two pools with names of their own, as two relay instances would have.
  relayA = pgp({ connectionString: db.appUrl, application_name: 'relay-a', max: 2 }) as Db;
  relayB = pgp({ connectionString: db.appUrl, application_name: 'relay-b', max: 2 }) as Db;
});
after(async () => {
  await relayA.$pool.end();
  await relayB.$pool.end();
  await sink.stop();
  await db.drop();
});
beforeEach(async () => {
  // The outbox belongs to this file; each test starts it empty. (The owner may delete; the app may not.)
  await db.owner.query('DELETE FROM outbox');
  sink.received.length = 0;
  sink.refused.length = 0;
  sink.answer = () => 202;
  sink.delayMs = 0;
});

const BOOKED = 'health.booking.appointment.booked.v1';
const CANCELLED = 'health.booking.appointment.cancelled.v1';

/** Queues `count` events for appointments from `firstId`; with `cancelled`, each also gets a later cancellation. */
async function queue(count: number, firstId: number, cancelled = false): Promise<void> {
  const insert = `
    INSERT INTO outbox (type, source, subject, data)
    SELECT $1, $2, 'appointments/' || n,
           jsonb_build_object('id', n, 'doctor_id', 1, 'appointment_time', '2030-01-01T09:00:00.000Z', 'end_time', '2030-01-01T09:30:00.000Z', 'status', $3::text)
    FROM generate_series($4::int, $5::int) AS n ORDER BY n`;
  await db.owner.query(insert, [BOOKED, '/functions/create-booking', 'booked', firstId, firstId + count - 1]);
  if (cancelled) await db.owner.query(insert, [CANCELLED, '/functions/cancel-booking', 'cancelled', firstId, firstId + count - 1]);
}

async function outboxState(): Promise<{ unsent: number; tried: number }> {
  const { rows } = await db.owner.query('SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent, count(*) FILTER (WHERE attempts > 0)::int AS tried FROM outbox');
  return rows[0];
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('outbox relay', () => {
  test('two relays at once over 1,000 pending rows: every row is sent once, none by both', async () => {
    await queue(800, 1);
    await queue(100, 10_001, true); // 100 appointments booked and cancelled: 200 rows whose order matters
    sink.delayMs = 1;
    const [a, b] = await Promise.all([
      relayOutbox(relayA, { sinkUrl: `${sink.url}a`, batchSize: 25 }),
      relayOutbox(relayB, { sinkUrl: `${sink.url}b`, batchSize: 25 }),
    ]);
    assert.equal(a.sent + b.sent, 1000);
    assert.ok(a.sent > 0 && b.sent > 0, `both relays worked (a ${a.sent}, b ${b.sent})`);
    assert.equal(sink.received.length, 1000);
    const ids = sink.received.map((r) => r.event.id);
    assert.equal(new Set(ids).size, 1000, 'no event sent twice');
    const byA = new Set(sink.received.filter((r) => r.path === '/a').map((r) => r.event.id));
    assert.ok(sink.received.filter((r) => r.path === '/b').every((r) => !byA.has(r.event.id)), 'no event sent by both relays');
    for (let n = 10_001; n <= 10_100; n++) {
      const types = sink.received.filter((r) => r.event.subject === `appointments/${n}`).map((r) => r.event.type);
      assert.deepEqual(types, [BOOKED, CANCELLED], `order of appointment ${n}`);
    }
    assert.deepEqual(await outboxState(), { unsent: 0, tried: 0 });
  });

  test('a refused event is retried after a jittered backoff, and holds back the later event of its appointment', async () => {
    await queue(3, 1, true);
    sink.answer = (e) => (e.subject === 'appointments/2' && e.type === BOOKED ? 503 : 202);
    const began = Date.now();
    const first = await relayOutbox(relayA, { sinkUrl: sink.url });
    assert.equal(first.failed, 1);
    assert.equal(first.stoppedBy, 'drained');
    assert.deepEqual(sink.received.map((r) => `${r.event.subject} ${r.event.type}`).sort(), [
      `appointments/1 ${BOOKED}`, `appointments/1 ${CANCELLED}`, `appointments/3 ${BOOKED}`, `appointments/3 ${CANCELLED}`,
    ]);
    const { rows } = await db.owner.query(
      "SELECT attempts, sent_at, extract(epoch FROM next_attempt_at) * 1000 AS next_ms FROM outbox WHERE subject = 'appointments/2' ORDER BY id",
    );
    assert.equal(rows[0].attempts, 1);
    assert.equal(rows[0].sent_at, null, 'not marked sent without a 2xx');
    const delay = Number(rows[0].next_ms) - began;
    assert.ok(delay >= 900 && delay <= 2_500, `first retry after 1-2 s, not ${delay} ms`);
    assert.equal(rows[1].attempts, 0, 'the cancellation was not even tried');

    sink.answer = () => 202;
    assert.equal((await relayOutbox(relayA, { sinkUrl: sink.url })).sent, 0, 'not due yet');
    await new Promise((r) => setTimeout(r, Math.max(0, Number(rows[0].next_ms) - Date.now() + 50)));
    await relayOutbox(relayA, { sinkUrl: sink.url });
    const two = sink.received.filter((r) => r.event.subject === 'appointments/2').map((r) => r.event.type);
    assert.deepEqual(two, [BOOKED, CANCELLED]);
    assert.equal((await outboxState()).unsent, 0);
  });

  test('the backoff grows exponentially up to its cap', async () => {
    await queue(2, 1);
    await db.owner.query("UPDATE outbox SET attempts = CASE subject WHEN 'appointments/1' THEN 3 ELSE 40 END");
    sink.answer = () => 500;
    await relayOutbox(relayA, { sinkUrl: sink.url, backoff: { baseSeconds: 2, capSeconds: 300 } });
    const { rows } = await db.owner.query('SELECT attempts, extract(epoch FROM next_attempt_at - now()) AS secs FROM outbox ORDER BY id');
    assert.equal(rows[0].attempts, 4);
    assert.ok(rows[0].secs >= 8 - 1 && rows[0].secs <= 16, `2 s * 2^3 with jitter, not ${rows[0].secs}`);
    assert.equal(rows[1].attempts, 41);
    assert.ok(rows[1].secs >= 150 - 1 && rows[1].secs <= 300, `capped at 300 s with jitter, not ${rows[1].secs}`);
  });

  test('an unreachable sink ends the run and leaves the rest of the batch as it was', async () => {
    await queue(40, 1);
    const report = await relayOutbox(relayA, { sinkUrl: `http://127.0.0.1:${await freePort()}/`, concurrency: 4 });
    assert.equal(report.stoppedBy, 'sink_unreachable');
    assert.equal(report.sent, 0);
    const state = await outboxState();
    assert.equal(state.unsent, 40);
    assert.ok(state.tried >= 1 && state.tried <= 4, `only the sends in flight count an attempt, not ${state.tried}`);
  });

  test('a sink that does not answer in time counts as a failure', async () => {
    await queue(1, 1);
    sink.delayMs = 1_000;
    const report = await relayOutbox(relayA, { sinkUrl: sink.url, sendTimeoutMs: 200 });
    assert.equal(report.sent, 0);
    assert.deepEqual(await outboxState(), { unsent: 1, tried: 1 });
  });

  test('rows a live relay holds are skipped, and free again the moment it dies', async () => {
    await queue(10, 1);
    // Another relay mid-batch: its transaction holds the first three rows.
    const other = new pg.Client({ connectionString: db.appUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query('SELECT id FROM outbox ORDER BY id LIMIT 3 FOR UPDATE');
    const pid = (await other.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const first = await relayOutbox(relayA, { sinkUrl: sink.url });
    assert.equal(first.sent, 7, 'did not wait for, nor send, the held rows');
    // It crashes: the server loses it, rolls its transaction back, and its rows are due at once.
    other.on('error', () => {});
    const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    while ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount) await new Promise((r) => setTimeout(r, 20));
    await admin.end();
    await other.end().catch(() => {});
    const second = await relayOutbox(relayA, { sinkUrl: sink.url });
    assert.equal(second.sent, 3);
    assert.equal(new Set(sink.received.map((r) => r.event.id)).size, 10);
  });

  test('a run stops at its time budget with the rest still pending', async () => {
    await queue(30, 1);
    sink.delayMs = 50;
    const report = await relayOutbox(relayA, { sinkUrl: sink.url, batchSize: 5, concurrency: 1, budgetMs: 300 });
    assert.equal(report.stoppedBy, 'budget');
    assert.ok(report.sent > 0 && report.sent < 30, `sent ${report.sent}`);
    assert.equal((await outboxState()).unsent, 30 - report.sent);
  });
});
