import pgPromise from 'pg-promise';
import * as v from 'valibot';
import { withReference } from './booking';
import type { Db } from './db';
import { sqlFile } from './db/sql';
import { DomainError } from './errors';
import { countCancellation } from './metrics';
import { referenceHash } from './privacy/seal';
import { InstantSchema, strictObjectMessage } from './schemas/common';

const { ParameterizedQuery } = pgPromise;

const sql = {
  reschedule: sqlFile('appointments/reschedule.sql'),
  cancel: sqlFile('appointments/cancel-with-reason.sql'),
  find: sqlFile('appointments/find-by-reference.sql'),
};

/**
 * The body of POST /api/appointments/:reference/reschedule. `appointment_type_id` is not
 * accepted yet: appointment types come with the schedule issue, and a field the server cannot
 * check would be a promise it does not keep.
 */
export const RescheduleRequestSchema = v.strictObject(
  { appointment_time: InstantSchema },
  strictObjectMessage('is not part of a reschedule'),
);
export type RescheduleRequest = v.InferOutput<typeof RescheduleRequestSchema>;

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

const referencePattern = /^[A-Za-z0-9_-]{22,64}$/;
const notFound = () => new DomainError('not_found', 'No appointment has that reference.');
const isConflict = (err: unknown) => ['23P01', '23505'].includes((err as { code?: string })?.code ?? '');

export interface RescheduleRules {
  horizonDays: number;
  /** A patient may move an appointment until this many hours before it. */
  cutoffHours: number;
}

/**
 * Moves a booked appointment to another slot of the same doctor, in one statement: the row
 * keeps its id and reference, the old time is free the moment it commits, and the exclusion
 * constraint guards the new time as it guards a booking. A lost race is `slot_taken` and
 * leaves the appointment where it was.
 */
export async function rescheduleAppointment(db: Db, reference: string, request: RescheduleRequest, source: string, rules: RescheduleRules): Promise<string> {
  if (!referencePattern.test(reference)) throw notFound();
  let row: { found: boolean; status: string | null; movable: boolean | null; taken: boolean | null; body: string | null };
  try {
    row = await db.one(new ParameterizedQuery({
      text: sql.reschedule,
      values: [referenceHash(reference), request.appointment_time, source, rules.horizonDays, rules.cutoffHours],
    }));
  } catch (err) {
    if (isConflict(err)) throw slotTaken();
    throw err;
  }
  if (!row.found) throw notFound();
  if (row.status !== 'booked') throw new DomainError('not_bookable', 'This appointment was cancelled; book a new one instead.');
  if (!row.movable) throw tooLate(rules.cutoffHours, 'moved');
  if (row.taken) throw slotTaken();
  if (row.body === null) throw notASlot(request.appointment_time, rules.horizonDays);
  return withReference(row.body, reference);
}

const slotTaken = () => new DomainError('slot_taken', 'That slot has just been booked by someone else. Your appointment is unchanged; please choose another.');

const tooLate = (hours: number, what: string) =>
  new DomainError('not_bookable', `Appointments can be ${what} online until ${hours} hours before they start. Please call the clinic.`);

function notASlot(time: string, horizonDays: number): DomainError {
  const at = Date.parse(time);
  if (at <= Date.now()) return new DomainError('not_bookable', 'That time is in the past.');
  if (at > Date.now() + horizonDays * 86_400_000) return new DomainError('not_bookable', `That time is more than ${horizonDays} days ahead.`);
  return new DomainError('not_bookable', "That time is not one of the doctor's slots: it is off the slot grid or outside working hours.");
}

/**
 * Cancels by reference, keeping the reason if one is given. `cutoffHours` is null for staff,
 * who may cancel up to the last minute; a patient past the cutoff gets 422. Cancelling again
 * answers the cancelled appointment and emits nothing, as before.
 */
export async function cancelWithReason(db: Db, reference: string, request: CancelRequest, source: string, cutoffHours: number | null): Promise<string> {
  if (!referencePattern.test(reference)) throw notFound();
  const hash = referenceHash(reference);
  const row = await db.one<{ found: boolean; status: string | null; cancellable: boolean | null; body: string | null }>(
    new ParameterizedQuery({ text: sql.cancel, values: [hash, source, request.reason ?? null, cutoffHours] }),
  );
  if (!row.found) throw notFound();
  if (row.body !== null) {
    countCancellation();
    return withReference(row.body, reference);
  }
  if (row.status === 'booked' && !row.cancellable) throw tooLate(cutoffHours ?? 0, 'cancelled');
  // Already cancelled: read again in a new statement, which sees a cancellation that committed while we waited.
  const current = await db.oneOrNone<{ body: string }>(new ParameterizedQuery({ text: sql.find, values: [hash] }));
  if (current === null) throw notFound();
  return withReference(current.body, reference);
}
