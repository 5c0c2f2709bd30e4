import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  lock: sqlFile('staff/lock-appointment.sql'),
  setStatus: sqlFile('staff/set-status.sql'),
  addNote: sqlFile('staff/add-note.sql'),
  listNotes: sqlFile('staff/list-notes.sql'),
};

/** The front desk's writes (visit status, notes) and the notes' read; run inside a transaction. */
export class FrontDeskRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** The appointment's doctor and status, locked until the transaction ends; null when there is no such id. */
  lock(id: string): Promise<{ id: string; doctor_id: number; status: string } | null> {
    return this.db.oneOrNone(sql.lock, { id });
  }

  /** The appointment's JSON after the change; the database refuses a transition it does not allow. */
  async setStatus(id: string, status: string, source: string): Promise<string> {
    return (await this.db.one<{ body: string }>(sql.setStatus, { id, status, source })).body;
  }

  async addNote(note: { appointmentId: string; authorSub: string; authorName: string | null; body: string }): Promise<string> {
    return (await this.db.one<{ body: string }>(sql.addNote, note)).body;
  }

  async listNotes(appointmentId: string): Promise<string> {
    return (await this.db.one<{ body: string }>(sql.listNotes, { appointmentId })).body;
  }
}
