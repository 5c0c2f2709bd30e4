import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../scripts/lib/ports';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * A real Prometheus (Debian's) scrapes the one-process server every second; bookings that
 * answer 201, 409 and 422 must show in its counters and histogram, read back through its HTTP
 * API, and no series may carry the patient's name or the booking's reference.
 */
let db: TestDatabase;
let app: RunningApp;
let prometheus: ChildProcess;
let promUrl: string;
let dir: string;
const stderr: string[] = [];

before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl);
  dir = mkdtempSync(join(tmpdir(), 'clinic-prometheus-'));
  const target = new URL(app.url).host;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', '  scrape_timeout: 900ms', 'scrape_configs:', '  - job_name: clinic', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
  );
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    '/usr/bin/prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  prometheus.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  await waitFor(async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok === true, 'Prometheus to be ready');
});

after(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await app?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; Prometheus said: ${stderr.join('').slice(-2000)}`);
}

/** An instant query's samples, as label sets with their value. */
async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  assert.equal(body.status, 'success', JSON.stringify(body));
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Waits until `expr` has exactly this value in Prometheus (a scrape a second brings it there). */
async function expectValue(expr: string, value: number): Promise<void> {
  let last: unknown;
  try {
    await waitFor(async () => {
      const samples = await query(expr);
      last = samples;
      return samples.length === 1 && samples[0].value === value;
    }, expr, 20_000);
  } catch {
    assert.fail(`${expr}: expected ${value}, Prometheus has ${JSON.stringify(last)}`);
  }
}

describe('a real Prometheus scraping npm start', () => {
  let reference: string;
  const patient = 'Grace Hopper-Prometheus';

  test('the server is a healthy target', async () => {
    await expectValue('up{job="clinic"}', 1);
    const res = await fetch(`${app.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  });

  test('201, 409 and 422 bookings show in booking_attempts_total and the request histogram', async () => {
    // addDoctor's doctor works 09:00-17:00 UTC every day in 30-minute slots: 09:00 is one.
    const doctorId = await addDoctor(db);
    const start = `${futureDate(6)}T09:00:00.000Z`;
    const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: patient, doctor_id: doctorId, appointment_time: start } });
    assert.equal(booked.status, 201);
    reference = booked.body.reference;
    const taken = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Someone Else', doctor_id: doctorId, appointment_time: start } });
    assert.equal(taken.status, 409);
    const offGrid = new Date(new Date(start).getTime() + 7 * 60_000).toISOString();
    const notBookable = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: patient, doctor_id: doctorId, appointment_time: offGrid } });
    assert.equal(notBookable.status, 422);
    const invalid = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: '', doctor_id: doctorId, appointment_time: start } });
    assert.equal(invalid.status, 400);

    await expectValue('booking_attempts_total{outcome="booked"}', 1);
    await expectValue('booking_attempts_total{outcome="slot_taken"}', 1);
    await expectValue('booking_attempts_total{outcome="not_bookable"}', 1);
    await expectValue('booking_attempts_total{outcome="invalid"}', 1);
    await expectValue('booking_attempts_total{outcome="replayed"}', 0);
    const series = 'http_server_request_duration_seconds_count{function="create-booking",route="/api/appointments",method="POST"';
    await expectValue(`${series},status="201"}`, 1);
    await expectValue(`${series},status="409"}`, 1);
    await expectValue(`${series},status="422"}`, 1);
    await expectValue(`${series},status="400"}`, 1);
    // The histogram's buckets hold all four: every request is under +Inf, and none took 10 s.
    await expectValue('sum(http_server_request_duration_seconds_bucket{function="create-booking",le="+Inf"})', 4);
    await expectValue('sum(http_server_request_duration_seconds_bucket{function="create-booking",le="10"})', 4);
    const [seconds] = await query('sum(http_server_request_duration_seconds_sum{function="create-booking"})');
    assert.ok(seconds.value > 0 && seconds.value < 40, `${seconds.value} s in all`);
  });

  test('a lookup and a cancellation are labelled by route template, never by the reference', async () => {
    assert.equal((await call(app.url, 'GET', `/api/appointments/${reference}`)).status, 200);
    assert.equal((await call(app.url, 'DELETE', `/api/appointments/${reference}`)).status, 200);
    assert.equal((await call(app.url, 'DELETE', `/api/appointments/${reference}`)).status, 200, 'a repeat answers the cancelled appointment');
    assert.equal((await call(app.url, 'GET', `/no/such/${reference}`, { contract: false })).status, 404);
    await expectValue('http_server_request_duration_seconds_count{function="list-appointments",route="/api/appointments/:reference",method="GET",status="200"}', 1);
    await expectValue('http_server_request_duration_seconds_count{function="cancel-booking",route="/api/appointments/:reference",method="DELETE",status="200"}', 2);
    await expectValue('appointments_cancelled_total', 1);
    await expectValue('sum(http_server_request_duration_seconds_count{route="unmatched",status="404"})', 1);

    const res = await fetch(`${promUrl}/api/v1/series?${new URLSearchParams({ 'match[]': '{job="clinic"}' })}`);
    const all = ((await res.json()) as { data: Array<Record<string, string>> }).data;
    assert.ok(all.length > 50, `${all.length} series`);
    const values = new Set(all.flatMap((labels) => Object.values(labels)));
    for (const secret of [reference, patient, 'Someone Else']) {
      assert.ok(![...values].some((v) => v.includes(secret)), `a label carries ${secret}`);
    }
  });

  test('pool, outbox and process gauges are there', async () => {
    // Nothing relays without K_SINK: the booking's and the cancellation's events wait.
    await expectValue('outbox_pending_events', 2);
    const age = await query('outbox_oldest_pending_age_seconds');
    assert.equal(age.length, 1);
    assert.ok(age[0].value >= 0 && age[0].value < 600, `oldest pending ${age[0].value}s`);
    await expectValue('db_up', 1);
    await expectValue('db_pool_max_connections', 10);
    const pool = await query('db_pool_connections');
    assert.deepEqual(pool.map((s) => s.metric.state).sort(), ['idle', 'total', 'waiting']);
    assert.ok(pool.find((s) => s.metric.state === 'total')!.value >= 1);
    await expectValue('db_pool_acquire_timeouts_total', 0);
    await expectValue('outbox_relay_sent_total', 0);
    assert.equal((await query('process_resident_memory_bytes')).length, 1);
    assert.equal((await query('nodejs_eventloop_lag_p99_seconds')).length, 1);
  });
});
