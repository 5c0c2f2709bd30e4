import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  findById: sqlFile('staff/find-by-id.sql'),
};

/** Staff reads and writes of appointments, by id (the patient's reference is never needed). */
export class StaffRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** The appointment's JSON and its doctor, or null when there is no such id. */
  async findById(id: string, withContact: boolean): Promise<{ doctorId: number; body: string } | null> {
    const row = await this.db.oneOrNone<{ doctor_id: number; body: string }>(sql.findById, { id, withContact });
    return row ? { doctorId: row.doctor_id, body: row.body } : null;
  }
}
