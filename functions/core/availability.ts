import { config } from './config';
import type { Db } from './db';
import { DomainError } from './errors';
import { beforePoolCloses } from './shutdown';
import { etagOf, SlotCache, type CachedBody } from './slot-cache';

let cache: SlotCache | null | undefined;

/** The instance's cache of doctors and slots (slot-cache.ts), or null when SLOT_CACHE_TTL_MS is 0. */
function slotCache(): SlotCache | null {
  if (cache === undefined) {
    const { slotCacheTtlMs, databaseDirectUrl, databaseUrl, serviceName } = config();
    const url = databaseDirectUrl ?? databaseUrl;
    cache = slotCacheTtlMs > 0 && url ? new SlotCache(url, slotCacheTtlMs, serviceName) : null;
  }
  return cache;
}

beforePoolCloses(async () => {
  const closing = cache;
  cache = undefined;
  await closing?.stop();
});

/** The body `load` gives, with its ETag, straight from the database. */
export const uncached = async (load: () => Promise<string | null>): Promise<CachedBody | null> => {
  const body = await load();
  return body === null ? null : { body, etag: etagOf(body) };
};

/**
 * `load`'s body under `key` of one doctor, from the instance's cache when it is on. Only for an
 * answer that depends on that doctor alone (their schedule, types, rules, appointments), which
 * is exactly what drops a doctor's entries; anything spanning doctors must not be kept here.
 */
export async function cachedForDoctor(doctorId: number, key: string, load: () => Promise<string | null>): Promise<CachedBody | null> {
  return slotCache()?.get(doctorId, key, load) ?? uncached(load);
}

/**
 * The pool, asked for only when an answer is not in the cache: `database()` sheds a request with
 * 503 while the pool is saturated, and an answer from memory needs no connection, so under a
 * rush the cached reads keep being served while only the misses and the bookings queue.
 */
export type Connect = () => Db;

/** GET /api/doctors: the body text, built by PostgreSQL, from the instance's cache when it can be. */
export async function listDoctors(connect: Connect): Promise<CachedBody> {
  const load = () => connect().doctors.listJson();
  return (await (slotCache()?.get(null, 'doctors', load) ?? uncached(load)))!;
}

/**
 * A doctor's slots on `day`, a calendar date read in the doctor's time zone, in one round
 * trip: working hours laid on the wall clock minus booked appointments; slots past the booking
 * horizon are listed unavailable, as a booking of them would be refused. Served from the
 * instance's cache when it can be; see slot-cache.ts for how stale that can be.
 */
export async function slotsForDay(connect: Connect, doctorId: number, day: string, horizonDays: number, appointmentTypeId: number | null = null): Promise<CachedBody> {
  const load = () => connect().doctors.slotsJson(doctorId, day, horizonDays, appointmentTypeId);
  const key = appointmentTypeId === null ? day : `${day}:${appointmentTypeId}`;
  const found = await (slotCache()?.get(doctorId, key, load) ?? uncached(load));
  if (found === null) {
    throw new DomainError('not_found', appointmentTypeId === null ? 'There is no doctor with that id.' : 'There is no doctor with that id, or that appointment type is not theirs.');
  }
  return found;
}

/** Resolves once this instance's cache is serving (false: off, or not within 5 s); for tests and warm-up. */
export function slotCacheListening(): Promise<boolean> {
  return slotCache()?.whenListening() ?? Promise.resolve(false);
}

/**
 * This instance changed an appointment of `doctorId`: drop its days now, so the patient who
 * booked sees it at once (the notification that tells the other instances comes a moment later).
 */
export function appointmentChanged(doctorId: number): void {
  cache?.changed(doctorId);
}
