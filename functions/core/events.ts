import type { IDatabase, ITask } from 'pg-promise';
import * as v from 'valibot';
import { sqlFile } from './db/sql';

/**
 * Appointment events (API.md, Events): what the outbox holds, what the relay sends and what
 * the audit log keeps. The rows are written by appointments/create.sql and cancel.sql in the
 * same statement as the booking or cancellation, so an event exists exactly when its change
 * committed. This module stays free of the cloudevents package so every function can load it.
 */
export const appointmentEventTypes = ['health.booking.appointment.booked.v1', 'health.booking.appointment.cancelled.v1'] as const;
export type AppointmentEventType = (typeof appointmentEventTypes)[number];

const statusOfType: Record<AppointmentEventType, string> = {
  'health.booking.appointment.booked.v1': 'booked',
  'health.booking.appointment.cancelled.v1': 'cancelled',
};

/** A UTC instant as the API writes it. */
const UtcInstantSchema = v.pipe(v.string(), v.isoTimestamp());

/**
 * The event data. Keys it does not name are dropped, never stored: a producer that one day
 * added a field (compatible under CloudEvents versioning) is still audited, and a field that
 * should never have been there (a patient's name) does not reach the audit table.
 */
export const AppointmentEventDataSchema = v.object({
  id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  doctor_id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  appointment_time: UtcInstantSchema,
  end_time: UtcInstantSchema,
  status: v.picklist(['booked', 'cancelled']),
});
export type AppointmentEventData = v.InferOutput<typeof AppointmentEventDataSchema>;

/** The parts of a received CloudEvent the audit log relies on, checked against each other. */
export const AppointmentEventSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    source: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    type: v.picklist(appointmentEventTypes),
    subject: v.pipe(v.string(), v.regex(/^appointments\/[1-9][0-9]*$/)),
    time: v.optional(UtcInstantSchema),
    data: AppointmentEventDataSchema,
  }),
  v.forward(v.check((e) => e.subject === `appointments/${e.data.id}`, 'must name the appointment of the data'), ['subject']),
  v.forward(v.check((e) => e.data.status === statusOfType[e.type], 'must match the event type'), ['data', 'status']),
);
export type AppointmentEvent = v.InferOutput<typeof AppointmentEventSchema>;

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

const auditSql = {
  record: sqlFile('audit/record.sql'),
};

/** The append-only audit trail (the app role may only read and insert). */
export class AuditRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** Records the event unless its (source, id) is already there; true when this call added it. */
  async recordOnce(event: AppointmentEvent): Promise<boolean> {
    const row = await this.db.oneOrNone(auditSql.record, {
      source: event.source,
      id: event.id,
      type: event.type,
      subject: event.subject,
      time: event.time ?? null,
      appointmentId: event.data.id,
      data: event.data,
    });
    return row !== null;
  }
}
