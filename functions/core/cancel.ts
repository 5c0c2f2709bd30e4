import pgPromise, { type IBaseProtocol } from 'pg-promise';
import * as v from 'valibot';
import { withReference } from './booking';
import type { Db } from './db';
import { sqlFile } from './db/sql';
import { DomainError } from './errors';
import { countCancellation } from './metrics';
import { referenceHash } from './privacy/seal';
import { strictObjectMessage } from './schemas/common';
import { recordStaffAction, type StaffContext } from './staff-audit';

const { ParameterizedQuery } = pgPromise;

const sql = {
  cancel: sqlFile('appointments/cancel-with-reason.sql'),
};

/** A reason a patient or staff member gives: bounded, one line of visible text. */
const ReasonSchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.check((text) => [...text].length <= 500, 'must be at most 500 characters'),
  v.check((text) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(text), 'must not contain control characters'),
);

/** The optional body of a cancellation. */
export const CancelRequestSchema = v.strictObject({ reason: v.optional(ReasonSchema) }, strictObjectMessage('is not part of a cancellation'));
export type CancelRequest = v.InferOutput<typeof CancelRequestSchema>;

/**
 * Who asks: a patient is held to the doctor's cutoffs (booking rules); signed-in staff may act
 * up to the last minute, and what they change is on the staff audit trail.
 */
export type Requester = 'patient' | { staff: StaffContext };

export const isPatient = (requester: Requester): requester is 'patient' => requester === 'patient';

/**
 * Runs `change` alone for a patient, and for staff in one transaction with the audit row of
 * the appointment it changed (`changed` picks its id, null when nothing changed), so the trail
 * has the write exactly when it committed.
 */
export async function asRequester<T>(db: Db, requester: Requester, action: string, change: (q: IBaseProtocol<unknown>) => Promise<T>, changed: (result: T) => number | string | null): Promise<T> {
  if (isPatient(requester)) return change(db);
  return db.tx(async (t) => {
    const result = await change(t);
    const id = changed(result);
    if (id !== null) await recordStaffAction(t, requester.staff, action, [id]);
    return result;
  });
}

export const referencePattern = /^[A-Za-z0-9_-]{22,64}$/;
export const notFound = () => new DomainError('not_found', 'No appointment has that reference.');

/** "90 minutes", "2 hours", "1 day": a rule's length of time as the clinic would say it. */
export function duration(minutes: number): string {
  const [n, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The 422 a patient gets inside a cutoff, naming the rule so they know why and what to do instead. */
export const tooLate = (cutoffMinutes: number, what: 'cancelled' | 'moved') =>
  new DomainError('not_bookable', `Appointments can be ${what} online until ${duration(cutoffMinutes)} before they start. Please call the clinic.`);

/**
 * Cancels by reference, keeping the reason if one is given. The statement itself checks the
 * doctor's cancel cutoff (db/sql/appointments/cancel-with-reason.sql) on the row it locks, so a
 * patient past it gets 422 without a read-then-write race; staff are not held to it.
 * Cancelling again answers the cancelled appointment and emits nothing, as before.
 */
export async function cancelWithReason(db: Db, reference: string, request: CancelRequest, source: string, requester: Requester): Promise<string> {
  if (!referencePattern.test(reference)) throw notFound();
  const hash = referenceHash(reference);
  type Row = { found: boolean; id: string | null; status: string | null; cancellable: boolean | null; cutoff_minutes: number | null; body: string | null };
  const row = await asRequester(
    db,
    requester,
    'appointment.cancelled_for_patient',
    (q) => q.one<Row>(new ParameterizedQuery({ text: sql.cancel, values: [hash, source, request.reason ?? null, isPatient(requester)] })),
    (r) => (r.body !== null ? r.id : null),
  );
  if (!row.found) throw notFound();
  if (row.body !== null) {
    countCancellation();
    return withReference(row.body, reference);
  }
  if (row.status === 'booked' && !row.cancellable) throw tooLate(row.cutoff_minutes ?? 0, 'cancelled');
  // Already cancelled: read again in a new statement, which sees a cancellation that committed while we waited.
  const current = await db.appointments.findByReferenceHash(hash);
  if (current.body === null) throw notFound();
  return withReference(current.body, reference);
}
