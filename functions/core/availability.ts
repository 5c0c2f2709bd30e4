import type { Db } from './db';
import { DomainError } from './errors';

/** GET /api/doctors: the body text, built by PostgreSQL. */
export function listDoctors(db: Db): Promise<string> {
  return db.doctors.listJson();
}

/**
 * A doctor's slots on `day`, a calendar date read in the doctor's time zone, in one round
 * trip: working hours laid on the wall clock minus booked appointments; slots past the booking
 * horizon are listed unavailable, as a booking of them would be refused.
 */
export async function slotsForDay(db: Db, doctorId: number, day: string, horizonDays: number): Promise<string> {
  const body = await db.doctors.slotsJson(doctorId, day, horizonDays);
  if (body === null) throw new DomainError('not_found', 'There is no doctor with that id.');
  return body;
}
