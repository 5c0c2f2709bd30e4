import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { freePort } from '../../scripts/lib/ports';
import { ensureClinicDatabase, startEmbeddedPostgres } from '../../scripts/lib/postgres';
import { migrate } from '../../scripts/migrate';
import { call, startApp, type RunningApp } from '../helpers/app';

/**
 * Issue 14's fault test: PostgreSQL frozen (SIGSTOP), then killed, then full, while bookings
 * run. It needs a cluster of its own, since freezing the shared test cluster would stall every
 * other test file. What must hold: /livez stays 200; bookings get 503 `unavailable` with
 * Retry-After, never 500; /healthz turns 503 and back by itself; every 201 is in the database.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'clinic-faults-'));
let port: number;
let cluster: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
let ownerUrl: string;
let app: RunningApp;
let owner: pg.Client;
let doctorId: number;
/** Free slots, taken from the front as bookings are made. */
const slots: string[] = [];
/** Appointment ids of every 201 the server gave. */
const acknowledged: number[] = [];

async function startCluster(): Promise<void> {
  cluster = await startEmbeddedPostgres({ dataDir, port, persistent: true });
}

before(async () => {
  port = await freePort();
  await startCluster();
  let appUrl: string;
  ({ ownerUrl, appUrl } = await ensureClinicDatabase(cluster.adminUrl, 'healthcare', cluster.secrets));
  await migrate(ownerUrl);
  owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  const { rows } = await owner.query("INSERT INTO doctors (name, specialty, timezone, slot_minutes) VALUES ('Dr Fault', 'General practice', 'UTC', 5) RETURNING id");
  doctorId = rows[0].id;
  for (let weekday = 1; weekday <= 7; weekday++) {
    await owner.query("INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at) VALUES ($1, $2, '00:00', '23:55')", [doctorId, weekday]);
  }
  await owner.end();
  app = await startApp(appUrl);
  for (let day = 2; day <= 6; day++) {
    const date = new Date(Date.now() + day * 86_400_000).toISOString().slice(0, 10);
    const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${date}`);
    slots.push(...res.body.slots.map((s: { start: string }) => s.start));
  }
});

after(async () => {
  await app?.close();
  await cluster?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  retryAfter: string | null;
  error?: string;
  ms: number;
}

async function book(): Promise<Outcome> {
  const began = Date.now();
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Faulty Tester', doctor_id: doctorId, appointment_time: slots.shift() } });
  if (res.status === 201) acknowledged.push(res.body.id);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), error: res.body?.error, ms: Date.now() - began };
}

/** The postmaster and every backend of this cluster. */
function clusterPids(): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

const signal = (pids: number[], sig: NodeJS.Signals) => pids.forEach((pid) => process.kill(pid, sig));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const began = Date.now();
  while (!(await check())) {
    if (Date.now() - began > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - began;
}

const health = async () => (await call(app.url, 'GET', '/healthz')).status;
const live = async () => (await call(app.url, 'GET', '/livez')).status;

function assertNoServerErrors(outcomes: Outcome[]): void {
  for (const o of outcomes) {
    assert.ok(o.status === 201 || o.status === 503, `a booking answered ${o.status} ${o.error ?? ''}`);
    if (o.status === 503) {
      assert.equal(o.error, 'unavailable');
      assert.equal(o.retryAfter, '5');
    }
  }
}

describe('PostgreSQL frozen, then back', () => {
  test('bookings get 503 with Retry-After, /livez stays 200, /healthz turns 503 and back', async () => {
    assert.equal((await book()).status, 201);
    assert.equal(await health(), 200);
    const pids = clusterPids();
    signal(pids, 'SIGSTOP');
    let outcomes: Outcome[];
    try {
      // Caught in flight: these wait on frozen backends until the client's own timeout.
      const inFlight = Promise.all(Array.from({ length: 12 }, book));
      await until('/healthz to say 503', async () => (await health()) === 503, 10_000);
      assert.equal(await live(), 200);
      // Once the process knows, a booking is refused at once, well inside the pool's 5 s.
      const later = await Promise.all(Array.from({ length: 20 }, book));
      for (const o of later) assert.ok(o.ms < 5_000, `a booking during the outage took ${o.ms} ms`);
      outcomes = [...(await inFlight), ...later];
      assert.equal(await live(), 200);
    } finally {
      signal(pids, 'SIGCONT');
    }
    assertNoServerErrors(outcomes);
    assert.ok(outcomes.filter((o) => o.status === 503).length >= 20);
    const recovery = await until('/healthz to say 200 again', async () => (await health()) === 200);
    console.log(`# recovered ${recovery} ms after SIGCONT; ${outcomes.filter((o) => o.status === 503).length} bookings got 503, ${outcomes.filter((o) => o.status === 201).length} got 201`);
    await until('a booking to succeed', async () => (await book()).status === 201);
  });
});

describe('PostgreSQL killed, then restarted', () => {
  test('503 while it is gone, and every 201 ever given is in the database afterwards', async () => {
    signal(clusterPids(), 'SIGKILL');
    await until('/healthz to say 503', async () => (await health()) === 503, 10_000);
    const outcomes = await Promise.all(Array.from({ length: 20 }, book));
    assertNoServerErrors(outcomes);
    assert.equal(await live(), 200);
    await startCluster();
    const recovery = await until('/healthz to say 200 again', async () => (await health()) === 200);
    await until('a booking to succeed', async () => (await book()).status === 201);
    console.log(`# recovered ${recovery} ms after the restart`);
    const check = new pg.Client({ connectionString: ownerUrl });
    await check.connect();
    const { rows } = await check.query('SELECT id FROM appointments WHERE id = ANY($1::bigint[])', [acknowledged]);
    await check.end();
    assert.equal(rows.length, acknowledged.length, 'an acknowledged booking is missing');
  });
});

describe('PostgreSQL out of disk', { skip: userInfo().uid !== 0 && 'needs root to mount a small tmpfs' }, () => {
  test('bookings get 503 while the disk is full, /healthz says disk_full, and both recover', async () => {
    const mount = join(dataDir, 'tiny');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
    const admin = new pg.Client({ connectionString: cluster.adminUrl.replace(/\/postgres$/, '/healthcare') });
    try {
      await admin.connect();
      const space = join(mount, 'space');
      mkdirSync(space);
      execFileSync('chown', ['postgres', space]);
      await admin.query(`CREATE TABLESPACE tiny LOCATION '${space}'`);
      await admin.query('ALTER TABLE appointments SET TABLESPACE tiny');
      // Ballast in the same tablespace takes the disk, then bookings use up what their pages had left.
      await admin.query('CREATE TABLE ballast (filler text) TABLESPACE tiny');
      let full = false;
      for (let i = 0; i < 400 && !full; i++) {
        try {
          await admin.query("INSERT INTO ballast SELECT repeat(md5(g::text), 60) FROM generate_series(1, 200) g");
        } catch (err) {
          if ((err as { code?: string }).code !== '53100') throw err;
          full = true;
        }
      }
      assert.ok(full, 'the tablespace never filled');
      const outcomes: Outcome[] = [];
      while (outcomes.length < 200 && !outcomes.some((o) => o.status === 503)) outcomes.push(await book());
      assertNoServerErrors(outcomes);
      assert.ok(outcomes.some((o) => o.status === 503), 'no booking was refused while the disk was full');
      const healthz = await call(app.url, 'GET', '/healthz');
      assert.equal(healthz.status, 503);
      assert.equal(healthz.body.reason, 'disk_full');
      assert.equal(await live(), 200);
      await admin.query('DROP TABLE ballast');
      await until('a booking to succeed once there is room', async () => (await book()).status === 201, 30_000);
      await until('/healthz to say 200 again', async () => (await health()) === 200, 30_000);
    } finally {
      await admin.query('DROP TABLE IF EXISTS ballast').catch(() => undefined);
      await admin.query('ALTER TABLE appointments SET TABLESPACE pg_default').catch(() => undefined);
      await admin.query('DROP TABLESPACE IF EXISTS tiny').catch(() => undefined);
      await admin.end().catch(() => undefined);
      execFileSync('umount', ['-l', mount]);
    }
  });
});
