import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { copyBundle, startBundle, type RunningBundle } from './bundle';

/**
 * Knative stops an instance with SIGTERM (after its queue-proxy has drained new traffic away),
 * and it must not drop what it is still answering. The built create-booking bundle runs as its
 * own process; 200 bookings are sent at once on keep-alive connections and held in flight by a
 * lock on appointments; SIGTERM arrives while all of them wait; then the lock goes. Every one
 * must be answered 201 and stored, and the process must exit 0 once they are.
 */

const LOAD = 200;
const POOL = 10;

let db: TestDatabase;
let doctorId: number;
let bundle: ReturnType<typeof copyBundle>;
let app: RunningBundle;

before(async () => {
  db = await createTestDatabase();
  // Five-minute slots from midnight: 200 distinct bookable times on one day.
  const day = futureDate(7);
  const weekday = ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  doctorId = await addDoctor(db, { slotMinutes: 5, timezone: 'UTC', hours: [{ weekday, start: '00:00', end: '23:00' }] });
  bundle = copyBundle('functions/create-booking');
  // This tests draining, not shedding (test/api/shedding.test.ts): every booking may wait its turn.
  app = await startBundle(bundle.dir, { DATABASE_URL: db.appUrl, FUNCTION_TARGET: 'createBooking', PG_POOL_SIZE: String(POOL), PG_MAX_WAITING: '1000' });
});
after(async () => {
  await app?.kill();
  bundle?.remove();
  await db.drop();
});

interface Answer {
  status: number;
  body: string;
  connection: string | undefined;
  at: number;
}

function book(agent: Agent, url: string, index: number, onConnect: () => void): Promise<Answer> {
  const start = new Date(`${futureDate(7)}T00:00:00Z`).getTime() + index * 5 * 60_000;
  const body = JSON.stringify({ patient_name: `Patient ${index}`, doctor_id: doctorId, appointment_time: new Date(start).toISOString() });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/appointments`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, connection: res.headers.connection, at: Date.now() }));
      res.on('error', reject);
    });
    req.on('socket', (socket) => (socket.connecting ? socket.once('connect', onConnect) : onConnect()));
    req.on('error', reject);
    req.end(body);
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test(`SIGTERM with ${LOAD} bookings in flight: every one is answered and stored, then the process exits 0`, { timeout: 60_000 }, async (t) => {
  const admin = new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
  await admin.connect();
  // Holds every booking inside its transaction (the first POOL on the lock, the rest in the pool's queue).
  await db.owner.query('BEGIN');
  await db.owner.query('LOCK TABLE appointments IN ACCESS EXCLUSIVE MODE');
  let lockReleasedAt = 0;
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    let connected = 0;
    const answers = Array.from({ length: LOAD }, (_, i) => book(agent, app.url, i, () => connected++));
    const settled = Promise.allSettled(answers);

    // In flight: every connection is open, and the pool is saturated with bookings waiting on the lock.
    await until(`${LOAD} connections are open`, () => connected === LOAD);
    await until(`${POOL} bookings wait on the lock`, async () => {
      const { rows } = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename = 'booking_app' AND wait_event_type = 'Lock'",
        [db.name],
      );
      return rows[0].n === POOL;
    });
    // Let the server read the requests it has accepted (its event loop is idle, waiting on the database).
    await new Promise((r) => setTimeout(r, 200));

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    await until('it logs that it is shutting down', () => app.logs().some((l) => l.message === 'shutting down'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(app.child.exitCode, null, 'it must not exit while requests are in flight');
    // It no longer accepts connections: Knative sends nothing new to a terminating instance.
    await assert.rejects(fetch(`${app.url}/healthz`), 'a new connection after SIGTERM is refused');

    await db.owner.query('COMMIT');
    lockReleasedAt = Date.now();

    const results = await settled;
    const failed = results.filter((r) => r.status === 'rejected' || r.value.status !== 201);
    assert.deepEqual(
      failed.map((r) => (r.status === 'rejected' ? String(r.reason) : `${r.value.status} ${r.value.body}`)),
      [],
      `${failed.length} of ${LOAD} failed`,
    );
    const closing = results.filter((r) => (r as PromiseFulfilledResult<Answer>).value.connection === 'close').length;
    // Every answer finished after SIGTERM tells its keep-alive client to close, so none sends a
    // next request into the closing server.
    await t.test('the answers finished after SIGTERM say Connection: close', () => {
      assert.equal(closing, LOAD, `${closing} of ${LOAD} said Connection: close`);
    });
    const lastAnswer = Math.max(...results.map((r) => (r as PromiseFulfilledResult<Answer>).value.at));

    const exit = await Promise.race([app.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running 10 s after the last answer:\n${app.output()}`)), 10_000))]);
    assert.deepEqual([exit.code, exit.signal], [0, null], app.output());
    assert.ok(exit.at >= lockReleasedAt && lockReleasedAt > signalledAt, 'it waited for the requests in flight');
    assert.ok(exit.at - lastAnswer < 5_000, 'idle keep-alive connections do not hold it up');
    assert.ok(app.logs().some((l) => l.message === 'stopped'));
    agent.destroy();

    const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND status = 'booked'", [doctorId]);
    assert.equal(rows[0].n, LOAD, 'every answered booking is stored');
  } finally {
    if (!lockReleasedAt) await db.owner.query('ROLLBACK').catch(() => {});
    await admin.end();
  }
});
