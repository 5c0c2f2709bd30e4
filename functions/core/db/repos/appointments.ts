import pgPromise, { type IDatabase, type ITask } from 'pg-promise';
import { sqlFile } from '../sql';

/**
 * Statements that carry a patient's name, contact or reference are sent as parameterized
 * queries: the values travel apart from the text, so a failed statement in PostgreSQL's log
 * shows `$2`, never the name (pg-promise's named formatting would write them into the text).
 */
const { ParameterizedQuery } = pgPromise;

const sql = {
  create: sqlFile('appointments/create.sql'),
  findByReference: sqlFile('appointments/find-by-reference.sql'),
  whyNotBookable: sqlFile('appointments/why-not-bookable.sql'),
  list: sqlFile('appointments/list.sql'),
};

export interface NewAppointment {
  /** SHA-256 of the reference: the reference itself is never stored. */
  referenceHash: Buffer;
  patientName: string;
  /** E-mail and phone, sealed (functions/core/privacy); null when neither was given. */
  contact: { keyId: string; data: Buffer } | null;
  /** The blind index of the contact under the current key, and under every key (for the cap). */
  contactIndex: Buffer | null;
  contactIndexes: Buffer[] | null;
  /** Future booked appointments the contact may hold. */
  futureBookingsCap: number;
  doctorId: number;
  appointmentTime: string;
  /** The reference sealed under the patient data key, for the manage link in notices (db/migrations/009). */
  referenceSealed?: { keyId: string; data: Buffer };
  /** The CloudEvent source of the function that books, kept with the outbox row. */
  source: string;
  /** How many days ahead a slot may be booked. */
  horizonDays: number;
  /** The doctor's appointment type; null or absent: their default type. */
  appointmentTypeId?: number | null;
}

/** The rule (db/migrations/013) that keeps a time from being booked, else 'grid': not a slot at all. */
export interface NotBookableReason {
  reason: 'inactive' | 'type' | 'past' | 'notice' | 'horizon' | 'holiday' | 'time_off' | 'grid';
  minNoticeMinutes: number;
  horizonDays: number;
  /** The doctor's calendar date of the time, and the clinic holiday on it if any. */
  day: string;
  holiday: string | null;
}

export interface CreateOutcome {
  doctorExists: boolean;
  /** A booked appointment already overlaps the slot (nothing was inserted). */
  taken: boolean;
  /** The contact already holds as many future bookings as allowed (nothing was inserted). */
  overCap: boolean;
  /** Null when the time is not one of the doctor's future slots. */
  id: string | null;
  body: string | null;
}

export interface ListFilter {
  doctorId: number | null;
  status: string | null;
  from: string | null;
  to: string | null;
  afterTime: string | null;
  afterId: string | null;
  limit: number;
}

/** Who looked at a listing page, for its staff audit row (audit/record-staff.sql has the same columns). */
export interface ListingAudit {
  actorSub: string;
  actorName: string | null;
  actorRole: string;
  requestId: string | null;
  clientAddress: string | null;
}

/** A contact as stored: sealed (bytes as base64 in the statement's JSON), or clear from before migration 007. */
export interface StoredContact {
  sealed: { keyId: string; data: Buffer } | null;
  clear: { email: string | null; phone: string | null };
}

interface StoredContactRow {
  id: string;
  sealed: string | null;
  key_id: string | null;
  email: string | null;
  phone: string | null;
}

/** Appointments; bodies come back as the JSON text of API.md, built by PostgreSQL. */
export class AppointmentsRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** Inserts the appointment and its outbox event, or nothing when the slot is not bookable or taken. */
  async create(appointment: NewAppointment): Promise<CreateOutcome> {
    const a = appointment;
    const query = new ParameterizedQuery({
      text: sql.create,
      values: [
        a.referenceHash, a.patientName, a.contact?.data ?? null, a.contact?.keyId ?? null, a.doctorId, a.appointmentTime,
        a.source, a.horizonDays, a.contactIndex, a.contactIndexes, a.futureBookingsCap,
        a.referenceSealed?.data ?? null, a.referenceSealed?.keyId ?? null, a.appointmentTypeId ?? null,
      ],
    });
    const row = await this.db.one<{ doctor_exists: boolean; taken: boolean; over_cap: boolean; id: string | null; body: string | null }>(query);
    return { doctorExists: row.doctor_exists, taken: row.taken, overCap: row.over_cap, id: row.id, body: row.body };
  }

  /** After a create found no slot: which rule forbade it; null for an unknown doctor. */
  async whyNotBookable(doctorId: number, time: string, appointmentTypeId: number | null, horizonDays: number): Promise<NotBookableReason | null> {
    const row = await this.db.oneOrNone<{ reason: NotBookableReason['reason']; min_notice_minutes: number; horizon_days: number; day: string; holiday: string | null }>(
      sql.whyNotBookable,
      { doctorId, time, typeId: appointmentTypeId, horizonDays },
    );
    return row && { reason: row.reason, minNoticeMinutes: row.min_notice_minutes, horizonDays: row.horizon_days, day: row.day, holiday: row.holiday };
  }

  /**
   * The body without its reference, which the caller adds (it is the one who knows it). With
   * `hit`, the statement first counts it in its rate-limit window and reads nothing past `limit`.
   */
  async findByReferenceHash(referenceHash: Buffer, hit: { bucket: Buffer; windowSeconds: number; limit: number } | null = null): Promise<{ body: string | null; hits: number | null; retryAfter: number }> {
    const row = await this.db.one<{ body: string | null; hits: number | null; retry_after: number | null }>(
      new ParameterizedQuery({ text: sql.findByReference, values: [referenceHash, hit?.bucket ?? null, hit?.windowSeconds ?? null, hit?.limit ?? null] }),
    );
    return { body: row.body, hits: row.hits, retryAfter: row.retry_after ?? 0 };
  }

  /**
   * The `{ items, next_cursor }` body of one staff listing page, with its audit row written by
   * the same statement; with `withContacts`, each listed appointment's contact as stored, by id.
   */
  async listPage(filter: ListFilter, audit: ListingAudit, withContacts: boolean): Promise<{ body: string; contacts: Map<string, StoredContact> }> {
    const row = await this.db.one<{ body: string; contacts: StoredContactRow[] | null }>(sql.list, { ...filter, ...audit, withContacts });
    const contacts = new Map((row.contacts ?? []).map((c) => [c.id, {
      sealed: c.sealed && c.key_id ? { keyId: c.key_id, data: Buffer.from(c.sealed, 'base64') } : null,
      clear: { email: c.email, phone: c.phone },
    }]));
    return { body: row.body, contacts };
  }
}
