import pgPromise, { type IDatabase, type ITask } from 'pg-promise';
import { sqlFile } from '../db/sql';

const { ParameterizedQuery } = pgPromise;

const sql = {
  claimEvent: sqlFile('notices/claim-event.sql'),
  appointments: sqlFile('notices/appointments.sql'),
  dueReminders: sqlFile('notices/due-reminders.sql'),
  markReminded: sqlFile('notices/mark-reminded.sql'),
};

type Queryable = IDatabase<unknown> | ITask<unknown>;

/** An appointment as a notice needs it, contact and reference still sealed. */
export interface NoticeRow {
  id: string;
  status: 'booked' | 'cancelled';
  revision: number;
  patient_name: string | null;
  appointment_time: string;
  end_time: string;
  patient_contact: Buffer | null;
  contact_key_id: string | null;
  doctor_name: string;
  timezone: string;
  reference_sealed: Buffer | null;
  reference_key_id: string | null;
}

/**
 * The notices' queries. They live beside the notifier rather than among the shared repos:
 * only the notify and send-reminders functions load them.
 */
export const noticeQueries = {
  /** True when this call decided the event; false when another delivery already had. */
  async claimEvent(db: Queryable, eventId: string, appointmentId: number, kind: string): Promise<boolean> {
    return (await db.oneOrNone(sql.claimEvent, { eventId, appointmentId, kind })) !== null;
  },

  async appointments(db: Queryable, ids: readonly string[]): Promise<NoticeRow[]> {
    return db.any<NoticeRow>(new ParameterizedQuery({ text: sql.appointments, values: [ids] }));
  },

  async dueReminders(db: Queryable, hours: number, limit: number): Promise<Array<{ id: string; appointment_time: string }>> {
    return db.any(sql.dueReminders, { hours, limit });
  },

  /** Call inside the transaction that claimed them: the rows' times are the ones reminded. */
  async markReminded(db: Queryable, done: ReadonlyArray<{ id: string; mailed: boolean }>): Promise<void> {
    if (done.length === 0) return;
    await db.none(sql.markReminded, { ids: done.map((d) => d.id), mailed: done.map((d) => d.mailed) });
  },
};
