import type { QueryFile } from 'pg-promise';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db';
import { describeError, log } from './log';
import { currentRequest } from './request-context';
import { notFound, route, type Route } from './routing';

/**
 * The process's Prometheus metrics, served at GET /metrics by every function (one endpoint for
 * the whole process under `npm start`). Labels are closed sets chosen here, never values from
 * a request: a route is its template, a method outside the known ones is `other`, a path no
 * route knows is `unmatched`. So no label carries patient data, a reference or a token, and a
 * caller cannot grow the number of series.
 */
export const registry = new Registry();
let enabled = true;
collectDefaultMetrics({ register: registry });

/** Around the 50 ms p99 target (README's benchmarks), with room either side. */
const durationBuckets = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const requestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Time from a request arriving to its response finishing, by function, route template, method and status.',
  labelNames: ['function', 'route', 'method', 'status'] as const,
  buckets: durationBuckets,
  registers: [registry],
});

/** What a booking attempt came to; `invalid` is any other 4xx (a bad body, an unknown doctor, a reused key). */
export type BookingOutcome = 'booked' | 'replayed' | 'slot_taken' | 'not_bookable' | 'invalid' | 'in_progress' | 'rate_limited' | 'error';
export const bookingOutcomes: readonly BookingOutcome[] = ['booked', 'replayed', 'slot_taken', 'not_bookable', 'invalid', 'in_progress', 'rate_limited', 'error'];

const bookingAttempts = new Counter({
  name: 'booking_attempts_total',
  help: 'Booking requests by outcome: booked, replayed (same Idempotency-Key), slot_taken, not_bookable, invalid (another 4xx), in_progress, rate_limited, error (5xx).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const cancellations = new Counter({
  name: 'appointments_cancelled_total',
  help: 'Appointments cancelled (a repeated cancel of the same appointment is not counted again).',
  registers: [registry],
});

const relaySent = new Counter({
  name: 'outbox_relay_sent_total',
  help: 'Outbox events the sink accepted.',
  registers: [registry],
});

const relayFailed = new Counter({
  name: 'outbox_relay_failed_total',
  help: 'Outbox event sends that failed (refused or unreachable sink); each is retried later.',
  registers: [registry],
});

const acquireTimeouts = new Counter({
  name: 'db_pool_acquire_timeouts_total',
  help: 'Queries that gave up waiting for a free pooled connection.',
  registers: [registry],
});

// Pre-set so a rate() over them has a zero to start from before the first event.
for (const outcome of bookingOutcomes) bookingAttempts.inc({ outcome }, 0);

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Records one finished request; the route must be a template or `unmatched`, never a path. */
export function observeRequest(functionName: string, routeTemplate: string, method: string | undefined, status: number, seconds: number): void {
  if (!enabled) return;
  const m = method && methods.has(method) ? method : 'other';
  requestDuration.observe({ function: functionName, route: routeTemplate, method: m, status: String(status) }, seconds);
}

/**
 * Times the current request (request-context.ts) to the end of its response, and records it
 * under the function and route template that were named for it by then.
 */
export function timeRequest(method: string | undefined, res: { once(event: 'finish' | 'close', listener: () => void): unknown; statusCode: number }): void {
  const context = currentRequest();
  if (!context || !enabled) return;
  const started = process.hrtime.bigint();
  let done = false;
  const record = () => {
    if (done) return;
    done = true;
    observeRequest(context.functionName, context.route, method, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
  };
  // 'finish' when the response was sent; 'close' alone when the client went away first.
  res.once('finish', record);
  res.once('close', record);
}

export function countBookingAttempt(outcome: BookingOutcome): void {
  if (enabled) bookingAttempts.inc({ outcome });
}

/** The outcome of a booking that failed with `err`: the DomainError's code, in outcome terms. */
export function bookingOutcomeOf(err: unknown): BookingOutcome {
  const { code, status } = (err ?? {}) as { code?: unknown; status?: unknown };
  if (code === 'slot_taken') return 'slot_taken';
  if (code === 'not_bookable') return 'not_bookable';
  if (code === 'request_in_progress') return 'in_progress';
  if (code === 'too_many_requests') return 'rate_limited';
  if (typeof status === 'number' && status >= 400 && status < 500) return 'invalid';
  return 'error';
}

export function countCancellation(): void {
  if (enabled) cancellations.inc();
}

export function countRelayed(sent: number, failed: number): void {
  if (!enabled) return;
  if (sent > 0) relaySent.inc(sent);
  if (failed > 0) relayFailed.inc(failed);
}

/** pg-pool's message when no connection became free within connectionTimeoutMillis. */
export function isAcquireTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'timeout exceeded when trying to connect';
}

export function countAcquireTimeout(): void {
  acquireTimeouts.inc();
}

/** What the outbox gauges show; read with `lagQuery`, at most every OUTBOX_READ_MS. */
interface OutboxLag {
  pending: number;
  oldest_age_seconds: number;
}

/**
 * A busy pod is scraped by more than one Prometheus (HA pairs), and every pod of every function
 * reports the same outbox: reading it at most this often keeps the scrape from becoming load.
 */
const OUTBOX_READ_MS = 5_000;

let watched: { db: Db; lagQuery: QueryFile } | undefined;
let lastRead: { at: number; lag: OutboxLag | undefined; ok: boolean } | undefined;
let reading: Promise<void> | undefined;

/**
 * Reports this pool (its connections, the outbox behind it, whether PostgreSQL answers). Called
 * by db/index.ts when it creates the process's pool; a function without a database reports none.
 */
export function watchDatabase(db: Db, lagQuery: QueryFile): void {
  watched = { db, lagQuery };
  lastRead = undefined;
}

async function readOutbox(): Promise<void> {
  const source = watched;
  if (!source) return;
  if (lastRead && Date.now() - lastRead.at < OUTBOX_READ_MS) return;
  reading ??= (async () => {
    try {
      const lag = await source.db.one<OutboxLag>(source.lagQuery);
      lastRead = { at: Date.now(), lag, ok: true };
    } catch (err) {
      // Not an error line per scrape: db_up says it, and a line every few seconds would drown the rest.
      if (lastRead?.ok !== false) log.warn('metrics could not read the outbox', describeError(err));
      lastRead = { at: Date.now(), lag: undefined, ok: false };
    }
  })().finally(() => {
    reading = undefined;
  });
  await reading;
}

new Gauge({
  name: 'db_pool_connections',
  help: 'Connections of this process\'s pool: total open, idle, and queries waiting for one.',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const pool = watched?.db.$pool;
    if (!pool) return;
    this.set({ state: 'total' }, pool.totalCount);
    this.set({ state: 'idle' }, pool.idleCount);
    this.set({ state: 'waiting' }, pool.waitingCount);
  },
});

new Gauge({
  name: 'db_pool_max_connections',
  help: 'The most connections this process\'s pool opens (PG_POOL_SIZE).',
  registers: [registry],
  collect() {
    this.reset();
    const max = (watched?.db.$pool as { options?: { max?: unknown } } | undefined)?.options?.max;
    if (typeof max === 'number') this.set(max);
  },
});

new Gauge({
  name: 'db_up',
  help: '1 when PostgreSQL answered this process\'s last metrics query (at most every few seconds), 0 when it did not.',
  registers: [registry],
  async collect() {
    this.reset();
    if (!watched) return;
    await readOutbox();
    if (lastRead) this.set(lastRead.ok ? 1 : 0);
  },
});

new Gauge({
  name: 'outbox_pending_events',
  help: 'Events in the outbox not yet accepted by the sink.',
  registers: [registry],
  async collect() {
    this.reset();
    await readOutbox();
    if (lastRead?.lag) this.set(lastRead.lag.pending);
  },
});

new Gauge({
  name: 'outbox_oldest_pending_age_seconds',
  help: 'How long the oldest event not yet accepted by the sink has waited (0 when none waits).',
  registers: [registry],
  async collect() {
    this.reset();
    await readOutbox();
    if (lastRead?.lag) this.set(lastRead.lag.oldest_age_seconds);
  },
});

/**
 * For scripts/bench-metrics.ts only: stops recording (not serving), to measure what recording
 * costs a request. Nothing in the functions calls it.
 */
export function setRecording(on: boolean): void {
  enabled = on;
}

/**
 * GET /metrics, Prometheus's text format. Served to whoever reaches the pod directly (the
 * PodMonitor scrapes the pod's IP), never to a request that came through a proxy: Knative's
 * queue-proxy, like every HTTP reverse proxy, adds `X-Forwarded-For`, so the public route to
 * a function does not publish the clinic's traffic figures. It answers 404 there, as for any
 * path that is not there.
 */
export const metricsRoute: Route = route('GET', '/metrics', async ({ req, res }) => {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) {
    throw notFound();
  }
  const body = await registry.metrics();
  res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
});
