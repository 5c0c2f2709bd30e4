import type { IDatabase, ITask } from 'pg-promise';
import type { AppointmentEvent } from '../../schemas/events';
import { sqlFile } from '../sql';

const auditSql = {
  record: sqlFile('audit/record.sql'),
};

/** The append-only audit trail (the app role may only read and insert). */
export class AuditRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** Records the event unless its (source, id) is already there; true when this call added it. */
  async recordOnce(event: AppointmentEvent): Promise<boolean> {
    const row = await this.db.oneOrNone(auditSql.record, {
      source: event.source,
      id: event.id,
      type: event.type,
      subject: event.subject,
      time: event.time ?? null,
      appointmentId: event.data.id,
      data: event.data,
    });
    return row !== null;
  }
}
