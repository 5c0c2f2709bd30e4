import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  list: sqlFile('doctors/list.sql'),
  slots: sqlFile('doctors/slots.sql'),
};

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
}
