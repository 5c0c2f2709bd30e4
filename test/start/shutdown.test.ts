import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../../scripts/lib/ports';
import {
  alive,
  childrenOf,
  exitWithin,
  listeningAddresses,
  postmasterPid,
  ready,
  runStart,
  superuser,
  until,
  type Started,
} from './run';

/**
 * `npm start` stops the way a Knative instance does: on SIGTERM it answers what it has
 * accepted, and only then stops its embedded PostgreSQL. Its own HTTP server listens on
 * loopback unless HOST says otherwise. Both starts share one DATA_DIR, so the second one
 * also shows that what the first answered 201 was kept.
 */

const LOAD = 100;

let dataDir: string;
let pgPort: number;
const running: Started[] = [];
/** Ids of the bookings the first start answered 201. */
let booked: number[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'clinic-start-'));
  pgPort = await freePort();
});
/** What a failed test left running: its npm start and that one's postmaster. */
async function stopLeftovers(): Promise<void> {
  for (const s of running) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }
  try {
    const pid = postmasterPid(dataDir);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    await until('the old postmaster is gone', () => !alive(pid));
  } catch {}
}
after(async () => {
  await stopLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Slot {
  doctorId: number;
  start: string;
}

async function freeSlots(base: URL, wanted: number): Promise<Slot[]> {
  // 503 is "try again": right after ready the server may not have seen the database answer yet.
  let res = await fetch(new URL('/api/doctors', base));
  for (let tries = 0; res.status === 503 && tries < 40; tries++) {
    await sleep(250);
    res = await fetch(new URL('/api/doctors', base));
  }
  const text = await res.text();
  assert.equal(res.status, 200, `GET /api/doctors: ${text}`);
  const doctors = JSON.parse(text) as { items: Array<{ id: number }> };
  const found: Slot[] = [];
  // From the day after tomorrow, so no slot passes while the test runs.
  for (let day = 2; found.length < wanted && day < 30; day++) {
    const date = new Date(Date.now() + day * 86_400_000).toISOString().slice(0, 10);
    for (const { id } of doctors.items) {
      const res = await fetch(new URL(`/api/doctors/${id}/slots?date=${date}`, base));
      const body = (await res.json()) as { slots: Array<{ start: string; available: boolean }> };
      for (const s of body.slots) if (s.available && found.length < wanted) found.push({ doctorId: id, start: s.start });
    }
  }
  assert.equal(found.length, wanted, 'the demo clinic has enough free slots');
  return found;
}

type Outcome = { status: number; body: string } | { error: string };

function book(agent: Agent, base: URL, slot: Slot, index: number, onConnect: () => void): Promise<Outcome> {
  const body = JSON.stringify({ patient_name: `Patient ${index}`, doctor_id: slot.doctorId, appointment_time: slot.start });
  return new Promise((resolve) => {
    const req = request(
      new URL('/api/appointments', base),
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        res.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
      },
    );
    req.on('socket', (socket) => (socket.connecting ? socket.once('connect', onConnect) : onConnect()));
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(body);
  });
}

test('npm start listens on loopback by default', { timeout: 120_000 }, async (t) => {
  // All the bookings come from one address, which the per-address limit would otherwise refuse.
  const started = runStart({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PG_POOL_SIZE: String(LOAD), BOOKING_RATE_PER_ADDRESS: String(10 * LOAD) });
  running.push(started);
  const base = await ready(started);
  assert.deepEqual(listeningAddresses(Number(base.port)), ['127.0.0.1'], 'bound to loopback only');

  await t.test(`SIGTERM with ${LOAD} bookings in flight: each is answered 201, then PostgreSQL stops and it exits 0`, async (t) => {
    const slots = await freeSlots(base, LOAD);
    // Opens the pool's connections now: on a busy machine, opening a hundred while the bookings
    // wait could outlast the pool's 5 s connection timeout and answer 503 before SIGTERM.
    await Promise.all(Array.from({ length: LOAD }, () => fetch(new URL('/healthz', base)).then((r) => r.arrayBuffer(), () => {})));
    // Holds every booking inside the database (the pool has a connection for each) while SIGTERM arrives.
    const locker = await superuser(dataDir, pgPort);
    // A second session: inside the locker's transaction pg_stat_activity would stay one snapshot.
    const watcher = await superuser(dataDir, pgPort);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE appointments IN ACCESS EXCLUSIVE MODE');
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    let connected = 0;
    let released = false;
    const early: Outcome[] = [];
    const outcomes = Promise.all(
      slots.map(async (slot, i) => {
        const outcome = await book(agent, base, slot, i, () => connected++);
        if (!released) early.push(outcome);
        return outcome;
      }),
    );
    const noneAnswered = () => {
      if (early.length) throw new Error(`answered while the lock was held, so not in flight: ${JSON.stringify(early.slice(0, 3))}\n${started.output().slice(-2000)}`);
    };
    try {
      await until(`${LOAD} connections are open`, () => connected === LOAD);
      await until(`${LOAD} bookings wait on the lock`, async () => {
        const { rows } = await watcher.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'booking_app' AND wait_event_type = 'Lock'",
        );
        noneAnswered();
        return rows[0].n >= LOAD;
      });
      started.child.kill('SIGTERM');
      await until('it logs that it is shutting down', () => started.logs().some((l) => l.message === 'shutting down'));
      await sleep(300);
      await assert.rejects(fetch(new URL('/healthz', base)), 'a new connection after SIGTERM is refused');
      // Before the fix PostgreSQL was already gone here, and this lock with it.
      await locker.query('COMMIT').then(() => (released = true), () => {});
    } finally {
      await locker.end().catch(() => {});
      await watcher.end().catch(() => {});
    }

    const answers = await outcomes;
    agent.destroy();
    const failed = answers.filter((a) => !('status' in a) || a.status !== 201);
    const kinds = new Map<string, number>();
    for (const a of failed) {
      const kind = 'status' in a ? String(a.status) : a.error;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    t.diagnostic(`failed in-flight bookings: ${failed.length} of ${LOAD} ${JSON.stringify(Object.fromEntries(kinds))}`);
    assert.ok(released, `PostgreSQL was still up after SIGTERM while bookings were in flight:\n${started.output()}`);
    assert.deepEqual(
      failed.map((a) => ('status' in a ? `${a.status} ${a.body}` : a.error)),
      [],
      `${failed.length} of ${LOAD} accepted bookings were not answered 201:\n${started.output()}`,
    );
    booked = answers.map((a) => (JSON.parse((a as { body: string }).body) as { id: number }).id);

    const exit = await exitWithin(started, 30_000);
    assert.deepEqual([exit.code, exit.signal], [0, null], started.output());
    assert.ok(started.logs().some((l) => l.message === 'stopped'), started.output());
    assert.throws(() => postmasterPid(dataDir), 'PostgreSQL stopped and removed its lock file');
  });
});

test('HOST moves it; after PostgreSQL crashes, SIGTERM still exits cleanly', { timeout: 120_000 }, async (t) => {
  await stopLeftovers();
  // 127.0.0.2 is loopback too, and shows that the address comes from HOST.
  const started = runStart({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), HOST: '127.0.0.2' });
  running.push(started);
  const base = await ready(started);
  assert.equal(base.hostname, '127.0.0.2', 'the ready line names the address it listens on');
  assert.deepEqual(listeningAddresses(Number(base.port)), ['127.0.0.2']);
  assert.equal((await fetch(new URL('/healthz', base))).status, 200);

  if (booked.length > 0) {
    await t.test('every booking the first start answered 201 was kept', async () => {
      const client = await superuser(dataDir, pgPort);
      try {
        const { rows } = await client.query("SELECT count(*)::int AS n FROM appointments WHERE id = ANY($1::bigint[]) AND status = 'booked'", [booked]);
        assert.equal(rows[0].n, booked.length);
      } finally {
        await client.end();
      }
    });
  }

  const postmaster = postmasterPid(dataDir);
  const backends = childrenOf(postmaster);
  assert.ok(backends.length > 0, 'the postmaster has its workers');
  process.kill(postmaster, 'SIGKILL');
  await until('it notices that PostgreSQL is gone', async () => (await fetch(new URL('/healthz', base))).status === 503);

  started.child.kill('SIGTERM');
  const exit = await exitWithin(started, 20_000);
  const out = started.output();
  assert.ok(
    (exit.code === 0 && exit.signal === null) || /PostgreSQL.*(stopped|crashed|exited)/i.test(out.split('\n').filter(Boolean).at(-1) ?? ''),
    `it exits 0, or with a message saying why:\n${out}`,
  );
  assert.ok(started.logs().some((l) => l.severity === 'ERROR' && /PostgreSQL/.test(String(l.message))), `the crash is reported:\n${out}`);
  await until('no PostgreSQL process is left', () => ![postmaster, ...backends].some(alive), 15_000);
});
