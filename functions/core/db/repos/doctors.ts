import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  list: sqlFile('doctors/list.sql'),
  slots: sqlFile('doctors/slots.sql'),
  days: sqlFile('doctors/days.sql'),
  firstAvailable: sqlFile('doctors/first-available.sql'),
};

/** What GET /api/availability searches: calendar dates on each doctor's clock, both inclusive; null filters match every doctor. */
export interface FirstAvailableSearch {
  from: string;
  to: string;
  specialty: string | null;
  /** A type's name (any case); null: each doctor's default type. */
  appointmentTypeName: string | null;
  doctorId: number | null;
  limit: number;
  horizonDays: number;
}

/** Doctors and their slots, each answer already the response body PostgreSQL built. */
export class DoctorsRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** The `{ items }` body of GET /api/doctors. */
  async listJson(): Promise<string> {
    const row = await this.db.one<{ body: string }>(sql.list);
    return row.body;
  }

  /** The slots body for `day` (YYYY-MM-DD in the doctor's zone) of a type (null: the default), or null for an unknown doctor or a type not theirs. */
  async slotsJson(doctorId: number, day: string, horizonDays: number, appointmentTypeId: number | null = null): Promise<string | null> {
    const row = await this.db.oneOrNone<{ body: string }>(sql.slots, { doctorId, day, horizonDays, typeId: appointmentTypeId });
    return row?.body ?? null;
  }

  /** The days body of `month` (YYYY-MM on the doctor's clock) for a type (null: the default), or null for an unknown or inactive doctor or a type not theirs. */
  async daysJson(doctorId: number, month: string, horizonDays: number, appointmentTypeId: number | null = null): Promise<string | null> {
    const row = await this.db.oneOrNone<{ body: string }>(sql.days, { doctorId, month, horizonDays, typeId: appointmentTypeId });
    return row?.body ?? null;
  }

  /** The `{ from, to, items }` body of GET /api/availability. */
  async firstAvailableJson(search: FirstAvailableSearch): Promise<string> {
    const { from, to, specialty, appointmentTypeName, doctorId, limit, horizonDays } = search;
    const row = await this.db.one<{ body: string }>(sql.firstAvailable, { from, to, specialty, typeName: appointmentTypeName, doctorId, limit, horizonDays });
    return row.body;
  }
}
