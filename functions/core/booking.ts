import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';
import type { AppointmentsRepo, NotBookableReason } from './db/repos/appointments';
import { DomainError } from './errors';
import type { CountedHit } from './rate-limit';
import type { PatientKeyring } from './privacy/keys';
import { contactIndex, contactIndexes, open, primaryContact, referenceHash, seal, sealContact } from './privacy/seal';
import type { BookingRequest } from './schemas/booking';
import { recordStaffAction, type StaffContext } from './staff-audit';

/** What a successful booking (or its replay) answers: 201 with this body and Location. */
export interface BookedAppointment {
  reference: string;
  body: string;
  replayed: boolean;
}

/** SQLSTATEs of the double-booking guard: the exclusion constraint, and a unique key. */
const conflictCodes = new Set(['23P01', '23505']);

function isConflict(err: unknown): boolean {
  return conflictCodes.has((err as { code?: string })?.code ?? '');
}

/** The patient's key to their booking: 16 random bytes, base64url (22 characters). */
export function newReference(): string {
  return randomBytes(16).toString('base64url');
}

/** Same request, same hash: the validated booking with its keys in a fixed order. */
export function requestHash(request: BookingRequest): string {
  const canonical = JSON.stringify([
    request.patient_name,
    request.doctor_id,
    request.appointment_time,
    request.patient_email,
    request.patient_phone,
    // Last, and only when named, so a key stored before types existed still matches its retry.
    ...(request.appointment_type_id === null ? [] : [request.appointment_type_id]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

const slotTaken = () => new DomainError('slot_taken', 'That slot has just been booked by someone else. Please choose another.');

export interface BookingRules {
  /** How many days ahead a slot may be booked (BOOKING_HORIZON_DAYS). */
  horizonDays: number;
  /** Seals the contact and the reference an idempotency key keeps. */
  keys: PatientKeyring;
  /** Future booked appointments one contact may hold (MAX_FUTURE_BOOKINGS_PER_CONTACT); null: no cap. */
  futureBookingsCap: number | null;
}

/**
 * The Appointment body with its reference. PostgreSQL builds the rest (appointment_json), but
 * keeps only the reference's hash: the reference is added by whoever knows it, the booking
 * that just made it or the client that sent it.
 */
export function withReference(body: string, reference: string): string {
  return `{"reference":${JSON.stringify(reference)},${body.slice(1)}`;
}

const overCap = (cap: number) =>
  new DomainError('not_bookable', `This contact already holds ${cap} upcoming appointments, the most one patient may book ahead. Cancel one, or call the clinic.`);

/** "90 minutes", "2 hours", "1 day": a rule's notice as the clinic would say it. */
function duration(minutes: number): string {
  const [n, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The 422 for a time no slot matched, naming the rule that forbids it (db/sql/appointments/why-not-bookable.sql). */
function notBookable(why: NotBookableReason): DomainError {
  switch (why.reason) {
    case 'inactive':
      return new DomainError('not_bookable', 'That doctor no longer takes bookings.');
    case 'type':
      return new DomainError('not_bookable', 'That appointment type is not one this doctor offers.');
    case 'past':
      return new DomainError('not_bookable', 'That time is in the past.');
    case 'notice':
      return new DomainError('not_bookable', `That time is too soon: bookings need at least ${duration(why.minNoticeMinutes)} notice.`);
    case 'horizon':
      return new DomainError('not_bookable', `That time is more than ${why.horizonDays} days ahead: bookings open ${why.horizonDays} days in advance.`);
    case 'holiday':
      return new DomainError('not_bookable', `The clinic is closed on ${why.day} (${why.holiday}).`);
    case 'time_off':
      return new DomainError('not_bookable', 'The doctor is away at that time.');
    default:
      return new DomainError('not_bookable', "That time is not one of the doctor's slots: it is off the slot grid or outside working hours.");
  }
}

async function insertBooking(repo: AppointmentsRepo, request: BookingRequest, source: string, rules: BookingRules) {
  const reference = newReference();
  const contact = { email: request.patient_email ?? null, phone: request.patient_phone ?? null };
  const counted = primaryContact(contact);
  let outcome;
  try {
    outcome = await repo.create({
      referenceHash: referenceHash(reference),
      referenceSealed: seal(rules.keys.current, 'reference', reference),
      patientName: request.patient_name,
      contact: sealContact(rules.keys.current, contact),
      contactIndex: counted === null ? null : contactIndex(rules.keys.current, counted),
      contactIndexes: counted === null || rules.futureBookingsCap === null ? null : contactIndexes(rules.keys, counted),
      futureBookingsCap: rules.futureBookingsCap ?? 0,
      doctorId: request.doctor_id,
      appointmentTime: request.appointment_time,
      source,
      horizonDays: rules.horizonDays,
      appointmentTypeId: request.appointment_type_id,
    });
  } catch (err) {
    // pg-promise has already released the connection to the pool in good order: a
    // constraint violation is an answer from a healthy server, not a broken connection.
    if (isConflict(err)) throw slotTaken();
    throw err;
  }
  if (!outcome.doctorExists) throw new DomainError('not_found', 'There is no doctor with that id.');
  if (outcome.overCap) throw overCap(rules.futureBookingsCap ?? 0);
  if (outcome.taken) throw slotTaken();
  if (outcome.id === null || outcome.body === null) {
    const why = await repo.whyNotBookable(request.doctor_id, request.appointment_time, request.appointment_type_id, rules.horizonDays);
    if (why === null) throw new DomainError('not_found', 'There is no doctor with that id.');
    throw notBookable(why);
  }
  return { id: outcome.id, reference, body: withReference(outcome.body, reference) };
}

/** The staff audit trail's action for a booking a staff member made on a patient's behalf. */
export const STAFF_BOOKING_ACTION = 'appointment.booked_for_patient';

/**
 * Books one slot. The database guarantees no double booking; a lost race is `slot_taken`.
 * An anonymous booking without a key is one statement (create.sql takes the contact's lock
 * and counts the cap itself): one round trip.
 *
 * With an idempotency key, the booking and the key are committed together under a lock on
 * the key, so a retry (from this or any other process, before or after a restart) gets the
 * first answer again, and a request racing the first one is told `request_in_progress`
 * instead of waiting. Only successful bookings are remembered: a failed request changed
 * nothing, so repeating it simply tries again.
 *
 * A staff member's booking (`staff`) is written to the staff audit trail in the booking's
 * own transaction: both are committed or neither. A replay made nothing new and writes nothing.
 */
export async function bookAppointment(
  db: Db,
  request: BookingRequest,
  source: string,
  rules: BookingRules,
  idempotencyKey?: string,
  staff?: StaffContext,
): Promise<BookedAppointment> {
  if (idempotencyKey === undefined && staff === undefined) {
    const booked = await insertBooking(db.appointments, request, source, rules);
    return { reference: booked.reference, body: booked.body, replayed: false };
  }
  if (idempotencyKey === undefined) {
    return db.tx('book-for-patient', async (t) => {
      const booked = await insertBooking(t.appointments, request, source, rules);
      await recordStaffAction(t, staff!, STAFF_BOOKING_ACTION, [booked.id]);
      return { reference: booked.reference, body: booked.body, replayed: false };
    });
  }
  const hash = requestHash(request);
  return db.tx('book-idempotent', async (t) => {
    if (!(await t.idempotency.tryLock(idempotencyKey))) {
      throw new DomainError('request_in_progress', 'A request with this Idempotency-Key is still being processed. Retry shortly.');
    }
    const earlier = await t.idempotency.find(idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== hash) {
        throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used for a different booking.');
      }
      const reference = open(rules.keys, 'reference', earlier.reference);
      return { reference, body: withReference(earlier.body, reference), replayed: true };
    }
    const booked = await insertBooking(t.appointments, request, source, rules);
    await t.idempotency.remember(idempotencyKey, hash, booked.id, seal(rules.keys.current, 'reference', booked.reference));
    if (staff) await recordStaffAction(t, staff, STAFF_BOOKING_ACTION, [booked.id]);
    return { reference: booked.reference, body: booked.body, replayed: false };
  });
}

/** References are 22+ base64url characters; anything else cannot exist, and gets the same 404. */
const referencePattern = /^[A-Za-z0-9_-]{22,64}$/;

const notFound = () => new DomainError('not_found', 'No appointment has that reference.');

/**
 * A patient's appointment by its reference. With `counted`, the lookup and its rate-limit hit
 * are one statement; a malformed reference is counted too (it is a guess all the same), and
 * its hash matches no stored one.
 */
export async function findAppointment(db: Db, reference: string, counted: CountedHit | null = null): Promise<string> {
  const wellFormed = referencePattern.test(reference);
  if (!wellFormed && counted === null) throw notFound();
  const found = await db.appointments.findByReferenceHash(referenceHash(reference), counted);
  if (counted && found.hits !== null && found.hits > counted.limit) throw counted.refuse({ hits: found.hits, retryAfter: found.retryAfter });
  if (!wellFormed || found.body === null) throw notFound();
  return withReference(found.body, reference);
}
