import { config } from '../core/config';
import { database, type Db } from '../core/db';
import { healthRoute } from '../core/health';
import { defineHttpFunction } from '../core/function';
import { route, sendJson } from '../core/http';
import { describeError, log } from '../core/log';
import { relayOutbox, type RelayReport } from '../core/outbox';
import { RateLimitsRepo } from '../core/db/repos/rate-limits';
import { StaffAuditRepo } from '../core/db/repos/staff-audit';
import { enforceRetention } from '../core/privacy/retention';

const name = 'outbox-relay';

/** Ends before the next minute's PingSource run starts (overlapping runs would be safe, only wasteful). */
const RUN_BUDGET_MS = 45_000;

export interface ScheduledRun {
  /** Null without K_SINK: events stay in the outbox. */
  relay: RelayReport | null;
  /** Events still unsent after the run, and how many of them are due now. */
  pending: number;
  due: number;
  /** Expired idempotency keys removed. */
  forgotten: number;
  /** Events sent over a week ago, removed. */
  pruned: number;
  /** Appointments whose patient data passed PATIENT_DATA_RETENTION_DAYS and were erased. */
  erased: number;
  /** Ended rate-limit windows, removed. */
  rateLimitWindowsPruned: number;
  /** Staff audit rows past AUDIT_RETENTION_DAYS, removed (logged; the contract's RelayReport has no field for it). */
  staffAuditPruned: number;
}

/**
 * The minute's work, for the PingSource here and `npm start`'s timer: relay every due event
 * (the safety net under the fast path that create-booking and cancel-booking kick), then drop
 * idempotency keys past their 24 hours, events sent over a week ago, and patient data and staff
 * audit rows past their retention. A failure of any of them throws: the caller reports it.
 */
export async function runScheduled(db: Db, budgetMs = RUN_BUDGET_MS): Promise<ScheduledRun> {
  const { sinkUrl } = config();
  const relay = sinkUrl ? await relayOutbox(db, { sinkUrl, budgetMs }) : null;
  const forgotten = await db.idempotency.forgetExpired();
  const pruned = await db.outbox.pruneSent();
  // Retention rides on the minutely run rather than a PingSource of its own: it is a few
  // indexed statements when nothing is due, and one run at a time is what the relay already has.
  const { erased } = await enforceRetention(db, config().patientDataRetentionDays, `/functions/${name}`, Math.min(budgetMs, 10_000));
  const rateLimitWindowsPruned = await new RateLimitsRepo(db).prune();
  // The staff audit trail's retention rides here too, for the same reasons: one indexed
  // statement when nothing is due, a batch at a time when a backlog falls due.
  const staffAuditPruned = await new StaffAuditRepo(db).prune(config().auditRetentionDays);
  if (staffAuditPruned > 0) log.info('staff audit rows past retention removed', { count: staffAuditPruned, retention_days: config().auditRetentionDays });
  const { pending, due } = await db.outbox.countPending();
  return { relay, pending, due, forgotten, pruned, erased, rateLimitWindowsPruned, staffAuditPruned };
}

const routes = [
  // The PingSource POSTs a CloudEvent (dev.knative.sources.ping); it is only a trigger, so its
  // body is not read. The path is internal: the Knative Service is cluster-local, and the
  // one-process server of `npm start` does not serve it (a timer runs the same work there).
  route('POST', '/internal/outbox-relay', async ({ req, res }) => {
    const run = await runScheduled(database());
    if (!run.relay) log.warn('K_SINK is not set; events stay in the outbox', { pending: run.pending });
    log.info('outbox relay run', {
      trigger: typeof req.headers['ce-type'] === 'string' ? req.headers['ce-type'] : 'http',
      sent: run.relay?.sent ?? 0,
      failed: run.relay?.failed ?? 0,
      stopped_by: run.relay?.stoppedBy ?? 'no_sink',
      pending: run.pending,
    });
    sendJson(res, 200, {
      sent: run.relay?.sent ?? 0,
      failed: run.relay?.failed ?? 0,
      batches: run.relay?.batches ?? 0,
      stopped_by: run.relay?.stoppedBy ?? 'no_sink',
      pending: run.pending,
      due: run.due,
      idempotency_keys_forgotten: run.forgotten,
      sent_events_pruned: run.pruned,
      patient_data_erased: run.erased,
      rate_limit_windows_pruned: run.rateLimitWindowsPruned,
    });
  }, { internal: true }),
  healthRoute,
];

export default defineHttpFunction(name, routes, { cors: false });

/** For `npm start`'s timer: the same run, logged instead of answered. */
export function runScheduledInBackground(): Promise<void> {
  // database() throws while PostgreSQL is unreachable: inside the chain, so a timer never crashes the process.
  return Promise.resolve().then(() => runScheduled(database())).then(
    (run) => {
      if (run.relay && (run.relay.sent || run.relay.failed)) {
        log.info('outbox relay run', { trigger: 'timer', sent: run.relay.sent, failed: run.relay.failed, pending: run.pending });
      }
    },
    (err) => log.error('scheduled outbox relay failed', describeError(err)),
  );
}
