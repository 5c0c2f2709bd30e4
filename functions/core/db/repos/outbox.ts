import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const outboxSql = {
  claim: sqlFile('outbox/claim.sql'),
  hold: sqlFile('outbox/hold.sql'),
  markSent: sqlFile('outbox/mark-sent.sql'),
  markFailed: sqlFile('outbox/mark-failed.sql'),
  countPending: sqlFile('outbox/count-pending.sql'),
  pruneSent: sqlFile('outbox/prune-sent.sql'),
};

/** One outbox row, ready to become a CloudEvent. */
export interface OutboxEvent {
  /** The row's key: claims and marks use it. */
  id: string;
  /** The CloudEvent id, fixed when the row was written, so a resend is recognisably the same event. */
  eventId: string;
  type: string;
  source: string;
  subject: string;
  /** When the change committed: the CloudEvent `time`. */
  time: string;
  data: unknown;
  attempts: number;
}

export interface Backoff {
  baseSeconds: number;
  capSeconds: number;
}

/** The transactional outbox, as the relay sees it. */
export class OutboxRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /**
   * Inside a transaction: locks up to `limit` due events, skipping rows other relays hold,
   * and leaving out any event whose appointment has an earlier one unsent (booked goes
   * before cancelled). The locks last until the transaction ends.
   */
  async claimDue(limit: number): Promise<OutboxEvent[]> {
    const rows = await this.db.any<{ id: string; event_id: string; type: string; source: string; subject: string; data: unknown; time: string; attempts: number }>(
      outboxSql.claim,
      { limit },
    );
    return rows.map((r) => ({ id: r.id, eventId: r.event_id, type: r.type, source: r.source, subject: r.subject, time: r.time, data: r.data, attempts: r.attempts }));
  }

  /** Inside a transaction: the server ends it if it sits idle longer than this (a stalled relay frees its rows). */
  async holdAtMost(idleMs: number): Promise<void> {
    await this.db.one(outboxSql.hold, { idleMs: Math.round(idleMs) });
  }

  async markSent(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.db.none(outboxSql.markSent, { ids });
  }

  /** Counts an attempt and schedules the next one; returns each row's attempts so far. */
  async markFailed(ids: readonly string[], backoff: Backoff): Promise<Array<{ id: string; attempts: number }>> {
    if (!ids.length) return [];
    return this.db.any(outboxSql.markFailed, { ids, ...backoff });
  }

  async countPending(): Promise<{ pending: number; due: number }> {
    return this.db.one(outboxSql.countPending);
  }

  /** Deletes events sent over a week ago (the database lets the app delete only sent ones). */
  async pruneSent(): Promise<number> {
    return (await this.db.result(outboxSql.pruneSent)).rowCount;
  }
}
