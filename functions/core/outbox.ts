import { CloudEvent, HTTP } from 'cloudevents';
import { config } from './config';
import type { Db } from './db';
import type { Backoff, OutboxEvent } from './db/repos/outbox';
import { describeError, log } from './log';
import { countRelayed } from './metrics';
import { beforePoolCloses } from './shutdown';

/**
 * The outbox relay: sends committed appointment events to the CloudEvents sink (K_SINK, the
 * Broker in Kubernetes) and marks them sent once the sink has answered 2xx.
 *
 * Locks while sending: a batch is claimed with `FOR UPDATE SKIP LOCKED` and the claiming
 * transaction stays open while its events are sent, then marks them and commits. So another
 * relay (another pod, the PingSource run, this process's next kick) skips those rows for as
 * long as this relay is alive, and never sends them at the same time; if this relay dies, its
 * connection drops, the transaction rolls back and the rows are due again at once, with no
 * lease to wait out and no column to add. The price is one pooled connection and a few row
 * locks held for the length of a batch, which is bounded: each send has a timeout, a batch
 * stops dispatching at its deadline, and the server ends a session that sits idle in the
 * transaction for longer than that. Nothing else ever locks outbox rows (bookings only insert).
 *
 * Order: an event is claimed only when no earlier event of the same appointment is unsent, so
 * `booked` always reaches the sink before `cancelled`; the two never share a batch, and the
 * events of one batch, all of different appointments, may be sent concurrently.
 *
 * Delivery is at least once: a crash between the sink's 2xx and the commit sends the event
 * again, with the same id, which consumers dedupe by (source, id).
 */
export interface RelayOptions {
  /** Where to POST the events (binary-mode CloudEvents). */
  sinkUrl: string;
  /** Events claimed per transaction. */
  batchSize?: number;
  /** Sends in flight at once within a batch. */
  concurrency?: number;
  /** A send that has not been answered by then counts as a failure. */
  sendTimeoutMs?: number;
  /** No new batch is claimed after this; the run ends with whatever is left still pending. */
  budgetMs?: number;
  /** Delay before a failed event is tried again: base * 2^attempts, capped, then jittered by -50%..0. */
  backoff?: Backoff;
}

export interface RelayReport {
  sent: number;
  failed: number;
  batches: number;
  /** Why the run ended: nothing more was due, the time budget ran out, or the sink could not be reached. */
  stoppedBy: 'drained' | 'budget' | 'sink_unreachable';
}

const defaults = {
  batchSize: 50,
  concurrency: 8,
  sendTimeoutMs: 5_000,
  budgetMs: 20_000,
  backoff: { baseSeconds: 2, capSeconds: 300 },
} satisfies Omit<Required<RelayOptions>, 'sinkUrl'>;

/** A batch stops dispatching sends this long after it was claimed. */
const BATCH_DISPATCH_MS = 15_000;

type SendOutcome = { ok: true } | { ok: false; status?: number; unreachable: boolean; code?: string };

/** The CloudEvent of an outbox row: every attribute comes from the row, so a resend is the same event. */
export function toCloudEvent(row: OutboxEvent): CloudEvent<unknown> {
  return new CloudEvent<unknown>({
    id: row.eventId,
    type: row.type,
    source: row.source,
    subject: row.subject,
    time: row.time,
    datacontenttype: 'application/json',
    data: row.data,
  });
}

/** One binary-mode POST. Not the SDK's httpTransport: it neither times out nor looks at the status. */
async function send(row: OutboxEvent, sinkUrl: string, timeoutMs: number): Promise<SendOutcome> {
  let message;
  try {
    message = HTTP.binary(toCloudEvent(row));
  } catch (err) {
    // A row that cannot become a valid CloudEvent will not improve by waiting, but it must
    // not be lost either: it is retried on the slow schedule and this line says why.
    log.error('outbox event is not a valid CloudEvent', { event_id: row.eventId, ...describeError(err) });
    return { ok: false, unreachable: false };
  }
  try {
    const res = await fetch(sinkUrl, {
      method: 'POST',
      headers: message.headers as Record<string, string>,
      body: message.body as string,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? { ok: true } : { ok: false, status: res.status, unreachable: false };
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : (err as Error).name;
    return { ok: false, unreachable: true, code };
  }
}

interface BatchOutcome {
  claimed: number;
  sent: string[];
  failed: string[];
  unreachable: boolean;
}

async function sendBatch(events: OutboxEvent[], options: Required<RelayOptions>, dispatchUntil: number): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { claimed: events.length, sent: [], failed: [], unreachable: false };
  let next = 0;
  const worker = async () => {
    // Once the sink is unreachable the rest of the batch is left as it was: still due,
    // its attempts not counted, for the next run.
    while (next < events.length && !outcome.unreachable && Date.now() < dispatchUntil) {
      const row = events[next++];
      const result = await send(row, options.sinkUrl, options.sendTimeoutMs);
      if (result.ok) {
        outcome.sent.push(row.id);
        continue;
      }
      outcome.failed.push(row.id);
      if (result.unreachable) {
        if (!outcome.unreachable) log.warn('event sink unreachable; events stay in the outbox', { event_id: row.eventId, code: result.code });
        outcome.unreachable = true;
      } else {
        log.warn('event sink refused an event', { event_id: row.eventId, type: row.type, status: result.status, attempts: row.attempts + 1 });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, events.length) }, worker));
  return outcome;
}

/**
 * Sends due events, a batch per transaction, until none is due, the budget is spent or the
 * sink cannot be reached. Safe to run in any number of processes at once.
 */
export async function relayOutbox(db: Db, relayOptions: RelayOptions): Promise<RelayReport> {
  const options: Required<RelayOptions> = { ...defaults, ...relayOptions };
  const runUntil = Date.now() + options.budgetMs;
  const report: RelayReport = { sent: 0, failed: 0, batches: 0, stoppedBy: 'drained' };
  for (;;) {
    if (Date.now() >= runUntil) {
      report.stoppedBy = 'budget';
      return report;
    }
    const outcome = await db.tx('outbox-relay', async (t) => {
      // Longer than a batch can take (dispatch window plus one send), so only a stalled relay hits it.
      await t.outbox.holdAtMost(BATCH_DISPATCH_MS + options.sendTimeoutMs + 30_000);
      const events = await t.outbox.claimDue(options.batchSize);
      if (events.length === 0) return null;
      const sent = await sendBatch(events, options, Math.min(runUntil, Date.now() + BATCH_DISPATCH_MS));
      await t.outbox.markSent(sent.sent);
      const failed = await t.outbox.markFailed(sent.failed, options.backoff);
      for (const f of failed) {
        if (f.attempts % 10 === 0) log.error('event still undelivered', { outbox_id: f.id, attempts: f.attempts });
      }
      return sent;
    });
    if (!outcome) return report;
    report.batches += 1;
    report.sent += outcome.sent.length;
    report.failed += outcome.failed.length;
    countRelayed(outcome.sent.length, outcome.failed.length);
    if (outcome.unreachable) {
      report.stoppedBy = 'sink_unreachable';
      return report;
    }
  }
}

let running: Promise<void> | undefined;
let again = false;

/**
 * The fast path, called right after a booking or cancellation committed: relays in the
 * background and returns at once. Never throws and never delays the response; a failure is
 * logged and the PingSource run (or `npm start`'s timer) picks the events up later. One run
 * at a time per process: a kick while one is running makes it go round once more. Without
 * K_SINK it does nothing and events stay in the outbox.
 */
export function kickRelay(db: Db): void {
  let sinkUrl: string | undefined;
  try {
    sinkUrl = config().sinkUrl;
  } catch {
    return;
  }
  if (!sinkUrl) return;
  if (running) {
    again = true;
    return;
  }
  const url = sinkUrl;
  running = (async () => {
    do {
      again = false;
      try {
        const report = await relayOutbox(db, { sinkUrl: url });
        if (report.stoppedBy === 'sink_unreachable') again = false;
      } catch (err) {
        log.error('outbox relay failed', describeError(err));
        again = false;
      }
    } while (again);
  })().finally(() => {
    running = undefined;
  });
}

/** Resolves when this process's background relay (if any) has finished; for tests and shutdown. */
export async function relayIdle(): Promise<void> {
  while (running) await running;
}

beforePoolCloses(relayIdle);
