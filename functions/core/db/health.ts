import pgPromise, { type IDatabase } from 'pg-promise';
import { DomainError } from '../errors';
import { log } from '../log';
import { endPool } from './pool';
import { sqlFile } from './sql';

/**
 * Whether this process can serve requests that need PostgreSQL, kept current in the
 * background so a readiness probe never waits in the pool behind the requests it judges.
 *
 * Two sources: a probe every `intervalMs` on a connection of its own (reachable? read-only?),
 * and the failures requests meet (disk full, pool exhausted, a statement timed out), which no
 * probe can see and which hold the state down for `holdMs`. Either recovers by itself: the
 * next probe that succeeds, or the hold running out, makes the process ready again.
 */
export type UnavailableReason = 'starting' | 'unreachable' | 'read_only' | 'disk_full' | 'pool_exhausted' | 'overloaded';

export interface DatabaseState {
  ready: boolean;
  reason?: UnavailableReason;
}

const probeSql = sqlFile('health/probe.sql');

/** Seconds a client is told to wait before retrying when the database is not available. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * What a failed database call means for the client. Null: an ordinary failure (a bug, a
 * constraint we did not expect), which stays a 500. Anything else is the database being
 * away or saturated, which a client should retry: a 503.
 */
export function unavailableReason(err: unknown): UnavailableReason | null {
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message : '';
  if (typeof code === 'string') {
    if (code === '53100') return 'disk_full';
    if (code === '25006') return 'read_only';
    if (code === '53300' || code === '53200' || code === '57014' || code === '55P03') return 'overloaded';
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return 'unreachable';
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE'].includes(code)) return 'unreachable';
  }
  if (/timeout exceeded when trying to connect/i.test(message)) return 'pool_exhausted';
  if (/Connection terminated|Query read timeout|connect ECONNREFUSED|Client has encountered a connection error/i.test(message)) return 'unreachable';
  return null;
}

const messages: Record<UnavailableReason, string> = {
  starting: 'The booking service is starting. Please try again in a few seconds.',
  unreachable: 'The booking service cannot reach its database right now. Please try again in a few seconds.',
  read_only: 'The booking service cannot save changes right now. Please try again in a few seconds.',
  disk_full: 'The booking service cannot save changes right now. Please try again in a few seconds.',
  pool_exhausted: 'The booking service is busy. Please try again in a few seconds.',
  overloaded: 'The booking service is busy. Please try again in a few seconds.',
};

export function unavailable(reason: UnavailableReason): DomainError {
  return new DomainError('unavailable', messages[reason]);
}

export interface MonitorOptions {
  intervalMs?: number;
  /** How long a failure seen by a request keeps the process unready. */
  holdMs?: number;
  /** The probe's own client gives up after this. */
  probeTimeoutMs?: number;
}

export class DatabaseHealth {
  private probeState: DatabaseState = { ready: false, reason: 'starting' };
  private heldUntil = 0;
  private heldReason: UnavailableReason | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly probeDb: IDatabase<unknown>;
  private running: Promise<void> | undefined;

  constructor(connectionString: string, applicationName: string, private readonly options: Required<MonitorOptions>) {
    // A pgp of its own, without the app's repositories or event hooks: one connection, short timeouts.
    this.probeDb = pgPromise()({
      connectionString,
      max: 1,
      application_name: `${applicationName}-probe`,
      connectionTimeoutMillis: options.probeTimeoutMs,
      query_timeout: options.probeTimeoutMs,
      idleTimeoutMillis: 0,
    });
  }

  start(): void {
    if (this.timer) return;
    void this.probe();
    this.timer = setInterval(() => void this.probe(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Runs one probe now (the timer does this); resolves when it is done. */
  probe(): Promise<void> {
    this.running ??= (async () => {
      const was = this.state();
      try {
        const row = await this.probeDb.one<{ read_only: boolean }>(probeSql);
        this.probeState = row.read_only ? { ready: false, reason: 'read_only' } : { ready: true };
      } catch (err) {
        this.probeState = { ready: false, reason: unavailableReason(err) ?? 'unreachable' };
      }
      const now = this.state();
      if (now.ready !== was.ready || now.reason !== was.reason) {
        if (now.ready) log.info('database available', { was: was.reason });
        else log.warn('database unavailable', { reason: now.reason });
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A request met this failure: hold the process unready for a while, since a probe may not see it. */
  noteFailure(reason: UnavailableReason): void {
    if (reason === 'unreachable') {
      // The probe sees this one itself; make it look now rather than at its next tick.
      void this.probe();
      return;
    }
    this.heldReason = reason;
    this.heldUntil = Date.now() + this.options.holdMs;
  }

  /** True while the last probe could not reach the server: requests are answered 503 at once instead of waiting on it. */
  unreachable(): boolean {
    return this.probeState.reason === 'unreachable';
  }

  state(): DatabaseState {
    if (!this.probeState.ready) return this.probeState;
    if (Date.now() < this.heldUntil) return { ready: false, reason: this.heldReason };
    return this.probeState;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await endPool(this.probeDb);
  }
}

let current: DatabaseHealth | undefined;

/** The monitor of the process's pool (db/index.ts makes it with the pool). */
export function setDatabaseHealth(monitor: DatabaseHealth | undefined): void {
  current = monitor;
}

/** A request met a failure that means the database is away or saturated. */
export function noteUnavailable(reason: UnavailableReason): void {
  current?.noteFailure(reason);
}
