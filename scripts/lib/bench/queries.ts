import { createHash, randomBytes } from 'node:crypto';
import pgPromise, { type IDatabase } from 'pg-promise';
import { AppointmentsRepo } from '../../../functions/core/db/repos/appointments';
import { sqlFile } from '../../../functions/core/db/sql';
import { bucketOf } from '../../../functions/core/rate-limit';

/**
 * The project's own query files, loaded the way the functions load them (same QueryFile
 * options), for the two floors that run "the same SQL" without the project's code around it.
 */
const sql = {
  slots: sqlFile('doctors/slots.sql'),
  ping: sqlFile('health/ping.sql'),
};

export type FloorDb = IDatabase<unknown>;


/** The functions' default booking horizon (BOOKING_HORIZON_DAYS), which the slot and booking SQL take. */
export const horizonDays = Number(process.env.BOOKING_HORIZON_DAYS || 180);

/** A pool like the functions' one (functions/core/db/index.ts): same size and options. */
export function floorDatabase(url: string, poolSize: number, applicationName: string): FloorDb {
  const pgp = pgPromise();
  return pgp({
    connectionString: url,
    max: poolSize,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 10_000,
  });
}

/** What the table keeps of a reference: its SHA-256 (migration 007). */
export const referenceHash = (reference: string) => createHash('sha256').update(reference, 'utf8').digest();

export interface BookingArgs {
  doctor_id: number;
  appointment_time: string;
  patient_name: string;
  patient_email?: string;
}

/** Decodes a `next_cursor` as listing.ts does, without its validation. */
export function decodeCursor(cursor: string): { afterTime: string; afterId: string } {
  const [afterTime, afterId] = Buffer.from(cursor, 'base64url').toString('utf8').split(',');
  return { afterTime, afterId };
}

/** The lookup's rate-limit bucket of 127.0.0.1, as the function counts it, with the bench's limit. */
const lookupHit = { bucket: bucketOf('lookup', '127.0.0.1'), windowSeconds: 60, limit: 1_000_000 };

/** One call of each scenario's SQL; every one returns the response body PostgreSQL built. */
export const run = {
  async slots(db: FloorDb, doctorId: number, day: string): Promise<string | null> {
    const row = await db.oneOrNone<{ body: string }>(sql.slots, { doctorId, day, horizonDays, typeId: null });
    return row?.body ?? null;
  },
  async book(db: FloorDb, booking: BookingArgs, source: string): Promise<{ status: number; reference: string; body: string | null }> {
    const reference = randomBytes(16).toString('base64url');
    try {
      // Through the functions' own repo, so the floor sends exactly the parameters create.sql
      // takes (a hand-built list drifted once a migration added some). Only the reference's
      // hash is stored; the floor seals no contact and counts no limit (the functions' own work).
      const row = await new AppointmentsRepo(db).create({
        referenceHash: referenceHash(reference),
        patientName: booking.patient_name,
        contact: null,
        contactIndex: null,
        contactIndexes: null,
        futureBookingsCap: 1,
        doctorId: booking.doctor_id,
        appointmentTime: booking.appointment_time,
        source,
        horizonDays,
      });
      if (!row.doctorExists) return { status: 404, reference, body: null };
      if (row.taken) return { status: 409, reference, body: null };
      return { status: row.body === null ? 422 : 201, reference, body: row.body };
    } catch (err) {
      if ((err as { code?: string }).code === '23P01' || (err as { code?: string }).code === '23505') return { status: 409, reference, body: null };
      throw err;
    }
  },
  async lookup(db: FloorDb, reference: string): Promise<string | null> {
    // Through the repo, as the function looks up: the read and its rate-limit hit (the
    // client's address bucket, as the bench's server counts them) in one statement.
    return (await new AppointmentsRepo(db).findByReferenceHash(referenceHash(reference), lookupHit)).body;
  },
  async list(db: FloorDb, limit: number, cursor: string | undefined): Promise<string> {
    const after = cursor ? decodeCursor(cursor) : { afterTime: null, afterId: null };
    // Through the repo, as the function lists: the page and its staff audit row in one
    // statement (a listing is never served unaudited), for the service token the bench uses.
    const filter = { doctorId: null, status: null, from: null, to: null, limit, ...after };
    const audit = { actorSub: 'service:staff-token', actorName: 'STAFF_TOKEN', actorRole: 'service', requestId: null, clientAddress: '127.0.0.1' };
    return (await new AppointmentsRepo(db).listPage(filter, audit, false)).body;
  },
  async ping(db: FloorDb): Promise<void> {
    await db.one(sql.ping);
  },
};
