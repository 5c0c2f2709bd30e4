import { cachedForDoctor, uncached, type Connect } from './availability';
import type { Db } from './db';
import { DomainError } from './errors';
import type { DaysQuery, FirstAvailableQuery } from './schemas/discovery';
import type { CachedBody } from './slot-cache';

/** From..to may span at most this many calendar days, both ends counted: two months of any length. */
export const MAX_SEARCH_DAYS = 62;
/** Without `to`, the search covers two weeks from `from`. */
const DEFAULT_SEARCH_DAYS = 14;
const DEFAULT_LIMIT = 10;
const DAY_MS = 86_400_000;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The dates a first-available search covers: the query's, or today (UTC) and two weeks on; 400 on `to` for a span the API does not search. */
export function searchDates(query: Pick<FirstAvailableQuery, 'from' | 'to'>, now = new Date()): { from: string; to: string } {
  const from = query.from ?? now.toISOString().slice(0, 10);
  const to = query.to ?? addDays(from, DEFAULT_SEARCH_DAYS - 1);
  const span = daysBetween(from, to);
  if (span < 0) throw new DomainError('invalid_request', 'The query is not valid.', [{ path: 'to', message: 'must not be before from' }]);
  if (span > MAX_SEARCH_DAYS - 1) {
    throw new DomainError('invalid_request', 'The query is not valid.', [{ path: 'to', message: `must be at most ${MAX_SEARCH_DAYS - 1} days after from (${MAX_SEARCH_DAYS} days in all)` }]);
  }
  return { from, to };
}

/**
 * GET /api/availability: the earliest free, bookable slots across active doctors, in one round
 * trip (db/sql/doctors/first-available.sql, through bookable_slots of migration 022: the
 * doctor's schedule_slots under slot_within_rules' bounds, unbooked, so it never offers what a
 * booking refuses).
 *
 * Never from the instance's cache: the answer spans doctors, and the slot cache drops an entry
 * only with the one doctor whose appointment changed (its doctor-less key is dropped by a
 * change of doctors or hours, not by a booking), so a cached answer could offer a slot another
 * instance has just booked for as long as the TTL. The ETag still lets a client or CDN revalidate.
 */
export async function firstAvailable(db: Db, query: FirstAvailableQuery, horizonDays: number, now = new Date()): Promise<CachedBody> {
  const { from, to } = searchDates(query, now);
  const load = () =>
    db.doctors.firstAvailableJson({
      from,
      to,
      specialty: query.specialty ?? null,
      appointmentTypeName: query.appointment_type ?? null,
      doctorId: query.doctor_id ?? null,
      limit: query.limit ?? DEFAULT_LIMIT,
      horizonDays,
    });
  return (await uncached(load))!;
}

/**
 * GET /api/doctors/{id}/days: the days of a month (the doctor's clock) with a free, bookable slot
 * of the type, in one round trip. It depends on this doctor alone, so it is cached under them
 * like their slots (`days:<month>:<type>`) and dropped by the same notifications.
 */
export async function bookableDays(connect: Connect, doctorId: number, query: DaysQuery, horizonDays: number): Promise<CachedBody> {
  const typeId = query.appointment_type_id ?? null;
  const load = () => connect().doctors.daysJson(doctorId, query.month, horizonDays, typeId);
  const found = await cachedForDoctor(doctorId, `days:${query.month}:${typeId ?? 'default'}`, load);
  if (found === null) throw new DomainError('not_found', 'There is no active doctor with that id, or that appointment type is not theirs.');
  return found;
}
