import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  findById: sqlFile('staff/find-by-id.sql'),
};

export interface StaffAppointmentRow {
  doctorId: number;
  body: string;
  sealedContact: { keyId: string; data: Buffer } | null;
  clearContact: { email: string | null; phone: string | null };
}

/** Staff reads and writes of appointments, by id (the patient's reference is never needed). */
export class StaffRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /**
   * The appointment's JSON and its doctor, or null when there is no such id; with
   * `withContact`, the contact as stored (sealed, or clear from before migration 007), for
   * the caller to open with the patient data keys.
   */
  async findById(id: string, withContact: boolean): Promise<StaffAppointmentRow | null> {
    const row = await this.db.oneOrNone<{
      doctor_id: number; body: string; patient_contact: Buffer | null; contact_key_id: string | null; patient_email: string | null; patient_phone: string | null;
    }>(sql.findById, { id, withContact });
    if (!row) return null;
    const sealed = row.patient_contact && row.contact_key_id ? { keyId: row.contact_key_id, data: row.patient_contact } : null;
    return { doctorId: row.doctor_id, body: row.body, sealedContact: sealed, clearContact: { email: row.patient_email, phone: row.patient_phone } };
  }

}
