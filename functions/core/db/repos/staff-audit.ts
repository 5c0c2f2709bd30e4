import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  record: sqlFile('audit/record-staff.sql'),
  list: sqlFile('audit/list-staff.sql'),
  prune: sqlFile('audit/prune.sql'),
};

export interface StaffAuditLine {
  actorSub: string;
  actorName: string | null;
  actorRole: string;
  /** `appointments.list`, `appointment.arrived`, `note.add`, ...: what, never any patient value. */
  action: string;
  appointmentIds: string[];
  requestId: string | null;
  clientAddress: string | null;
}

export interface StaffAuditFilter {
  actorSub: string | null;
  action: string | null;
  appointmentId: string | null;
  from: string | null;
  to: string | null;
  beforeId: string | null;
  limit: number;
}

/** The append-only staff audit trail (migration 005): the app role may only insert and read, and prune past retention (023). */
export class StaffAuditRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  async record(line: StaffAuditLine): Promise<void> {
    await this.db.none(sql.record, line);
  }

  /** The `{ items, next_cursor }` body of one page, newest first. */
  async listJson(filter: StaffAuditFilter): Promise<string> {
    return (await this.db.one<{ body: string }>(sql.list, filter)).body;
  }

  /**
   * Removes up to `batch` rows older than `days` (365 or more, else the database refuses),
   * through migration 023's function: the app role itself has no DELETE on the trail.
   */
  async prune(days: number, batch = 10_000): Promise<number> {
    return (await this.db.one<{ pruned: number }>(sql.prune, { days, batch })).pruned;
  }
}
