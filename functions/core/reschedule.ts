import pgPromise from 'pg-promise';
import * as v from 'valibot';
import { withReference } from './booking';
import { asRequester, duration, isPatient, notFound, referencePattern, tooLate, type Requester } from './cancel';
import type { Db } from './db';
import type { NotBookableReason } from './db/repos/appointments';
import { sqlFile } from './db/sql';
import { DomainError } from './errors';
import { referenceHash } from './privacy/seal';
import { InstantSchema, strictObjectMessage } from './schemas/common';

const { ParameterizedQuery } = pgPromise;

const sql = {
  reschedule: sqlFile('appointments/reschedule.sql'),
};

/**
 * The body of POST /api/appointments/:reference/reschedule. A move keeps the appointment's
 * type (and so its length): changing what the visit is for is a new booking, so
 * `appointment_type_id` is refused rather than silently ignored.
 */
export const RescheduleRequestSchema = v.strictObject(
  { appointment_time: InstantSchema },
  strictObjectMessage('is not part of a reschedule'),
);
export type RescheduleRequest = v.InferOutput<typeof RescheduleRequestSchema>;

const isConflict = (err: unknown) => ['23P01', '23505'].includes((err as { code?: string })?.code ?? '');

export interface RescheduleRules {
  /** BOOKING_HORIZON_DAYS, for a clinic whose booking rules leave the horizon NULL. */
  horizonDays: number;
  /** A patient is held to the doctor's reschedule cutoff; signed-in staff are not. */
  requester: Requester;
}

interface RescheduleRow {
  found: boolean;
  id: string | null;
  status: string | null;
  movable: boolean | null;
  cutoff_minutes: number | null;
  doctor_id: number | null;
  appointment_type_id: number | null;
  taken: boolean | null;
  body: string | null;
}

/**
 * Moves a booked appointment to another slot of the same doctor and the same appointment type,
 * in one statement: the row keeps its id, reference and type, the old time is free the moment
 * it commits, and the exclusion constraint guards the new time as it guards a booking. The
 * booking rules (notice, horizon, holidays, time off, breaks) and the patient's cutoff are
 * checked in that statement. A lost race is `slot_taken` and leaves the appointment where it was.
 */
export async function rescheduleAppointment(db: Db, reference: string, request: RescheduleRequest, source: string, rules: RescheduleRules): Promise<string> {
  if (!referencePattern.test(reference)) throw notFound();
  let row: RescheduleRow;
  try {
    row = await asRequester(
      db,
      rules.requester,
      'appointment.rescheduled_for_patient',
      (q) => q.one<RescheduleRow>(new ParameterizedQuery({
        text: sql.reschedule,
        values: [referenceHash(reference), request.appointment_time, source, rules.horizonDays, isPatient(rules.requester)],
      })),
      (r) => (r.body !== null ? r.id : null),
    );
  } catch (err) {
    if (isConflict(err)) throw slotTaken();
    throw err;
  }
  if (!row.found) throw notFound();
  if (row.status !== 'booked') throw new DomainError('not_bookable', 'This appointment was cancelled; book a new one instead.');
  if (!row.movable) throw tooLate(row.cutoff_minutes ?? 0, 'moved');
  if (row.taken) throw slotTaken();
  if (row.body === null) {
    // Asked only after the move failed, so a successful move costs one round trip.
    const why = await db.appointments.whyNotBookable(row.doctor_id!, request.appointment_time, row.appointment_type_id, rules.horizonDays);
    throw notASlot(why);
  }
  return withReference(row.body, reference);
}

const slotTaken = () => new DomainError('slot_taken', 'That slot has just been booked by someone else. Your appointment is unchanged; please choose another.');

/** The 422 for a new time no slot of the appointment's type matched, naming the rule that forbids it (db/sql/appointments/why-not-bookable.sql). */
function notASlot(why: NotBookableReason | null): DomainError {
  const unchanged = 'Your appointment is unchanged.';
  switch (why?.reason) {
    case 'inactive':
      return new DomainError('not_bookable', `That doctor no longer takes bookings. ${unchanged}`);
    case 'type':
      return new DomainError('not_bookable', `This appointment's type is no longer offered, so it cannot be moved online. Please call the clinic. ${unchanged}`);
    case 'past':
      return new DomainError('not_bookable', `That time is in the past. ${unchanged}`);
    case 'notice':
      return new DomainError('not_bookable', `That time is too soon: appointments need at least ${duration(why.minNoticeMinutes)} notice. ${unchanged}`);
    case 'horizon':
      return new DomainError('not_bookable', `That time is more than ${why.horizonDays} days ahead: bookings open ${why.horizonDays} days in advance. ${unchanged}`);
    case 'holiday':
      return new DomainError('not_bookable', `The clinic is closed on ${why.day} (${why.holiday}). ${unchanged}`);
    case 'time_off':
      return new DomainError('not_bookable', `The doctor is away at that time. ${unchanged}`);
    default:
      return new DomainError('not_bookable', `That time is not one of the doctor's slots for this appointment: it is off the slot grid, outside working hours or split by a break. ${unchanged}`);
  }
}
