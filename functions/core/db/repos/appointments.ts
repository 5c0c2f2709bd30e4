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
  cancel: sqlFile('appointments/cancel.sql'),
  findByReference: sqlFile('appointments/find-by-reference.sql'),
  list: sqlFile('appointments/list.sql'),
};

export interface NewAppointment {
  reference: string;
  patientName: string;
  patientEmail: string | null;
  patientPhone: string | null;
  doctorId: number;
  appointmentTime: string;
  /** The CloudEvent source of the function that books, kept with the outbox row. */
  source: string;
  /** How many days ahead a slot may be booked. */
  horizonDays: number;
}

export interface CreateOutcome {
  doctorExists: boolean;
  /** A booked appointment already overlaps the slot (nothing was inserted). */
  taken: boolean;
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

/** Appointments; bodies come back as the JSON text of API.md, built by PostgreSQL. */
export class AppointmentsRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** Inserts the appointment and its outbox event, or nothing when the slot is not bookable or taken. */
  async create(appointment: NewAppointment): Promise<CreateOutcome> {
    const a = appointment;
    const query = new ParameterizedQuery({
      text: sql.create,
      values: [a.reference, a.patientName, a.patientEmail, a.patientPhone, a.doctorId, a.appointmentTime, a.source, a.horizonDays],
    });
    const row = await this.db.one<{ doctor_exists: boolean; taken: boolean; id: string | null; body: string | null }>(query);
    return { doctorExists: row.doctor_exists, taken: row.taken, id: row.id, body: row.body };
  }

  /** Cancels a booked appointment and queues its event; null when it is unknown or already cancelled. */
  async cancel(reference: string, source: string): Promise<string | null> {
    const row = await this.db.oneOrNone<{ body: string }>(new ParameterizedQuery({ text: sql.cancel, values: [reference, source] }));
    return row?.body ?? null;
  }

  async findByReference(reference: string): Promise<string | null> {
    const row = await this.db.oneOrNone<{ body: string }>(new ParameterizedQuery({ text: sql.findByReference, values: [reference] }));
    return row?.body ?? null;
  }

  /** The `{ items, next_cursor }` body of one staff listing page. */
  async listJson(filter: ListFilter): Promise<string> {
    const row = await this.db.one<{ body: string }>(sql.list, filter);
    return row.body;
  }
}
