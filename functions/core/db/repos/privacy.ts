import pgPromise, { type IDatabase, type ITask } from 'pg-promise';
import { sqlFile } from '../sql';

/** Patient values (ciphertexts, ids tied to a patient) travel as bind parameters, apart from the text. */
const { ParameterizedQuery } = pgPromise;

const sql = {
  erasePast: sqlFile('privacy/erase-past.sql'),
  erasePatient: sqlFile('privacy/erase-patient.sql'),
  sealedBatch: sqlFile('privacy/sealed-batch.sql'),
  reseal: sqlFile('privacy/reseal.sql'),
  sealedReferences: sqlFile('privacy/sealed-references.sql'),
  resealReference: sqlFile('privacy/reseal-reference.sql'),
  keyCensus: sqlFile('privacy/key-census.sql'),
};

export interface SealedContactRow {
  id: string;
  sealed: { keyId: string; data: Buffer } | null;
  clear: { email: string | null; phone: string | null };
}

/** Retention, erasure and key rotation of patients' data (db/sql/privacy). */
export class PrivacyRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** One retention batch; answers how many appointments it erased. */
  async erasePast(retentionDays: number, batch: number, source: string): Promise<number> {
    const row = await this.db.one<{ erased: number }>(new ParameterizedQuery({ text: sql.erasePast, values: [retentionDays, batch, source] }));
    return row.erased;
  }

  /** Erases the patient of one appointment everywhere their contact index appears. */
  async erasePatient(appointmentId: string, source: string, by: string): Promise<{ found: boolean; erased: number }> {
    return this.db.one<{ found: boolean; erased: number }>(new ParameterizedQuery({ text: sql.erasePatient, values: [appointmentId, source, by] }));
  }

  async sealedBatch(currentKeyId: string, batch: number, afterId: string): Promise<SealedContactRow[]> {
    const rows = await this.db.manyOrNone<{
      id: string; patient_contact: Buffer | null; contact_key_id: string | null; patient_email: string | null; patient_phone: string | null;
    }>(new ParameterizedQuery({ text: sql.sealedBatch, values: [currentKeyId, batch, afterId] }));
    return rows.map((r) => ({
      id: r.id,
      sealed: r.patient_contact && r.contact_key_id ? { keyId: r.contact_key_id, data: r.patient_contact } : null,
      clear: { email: r.patient_email, phone: r.patient_phone },
    }));
  }

  async reseal(id: string, sealed: { keyId: string; data: Buffer } | null, index: Buffer | null): Promise<void> {
    await this.db.none(new ParameterizedQuery({ text: sql.reseal, values: [id, sealed?.data ?? null, sealed?.keyId ?? null, index] }));
  }

  async sealedReferences(currentKeyId: string): Promise<Array<{ key: string; sealed: { keyId: string; data: Buffer } }>> {
    const rows = await this.db.manyOrNone<{ key: string; reference_sealed: Buffer; reference_key_id: string }>(
      new ParameterizedQuery({ text: sql.sealedReferences, values: [currentKeyId] }),
    );
    return rows.map((r) => ({ key: r.key, sealed: { keyId: r.reference_key_id, data: r.reference_sealed } }));
  }

  async resealReference(key: string, sealed: { keyId: string; data: Buffer }): Promise<void> {
    await this.db.none(new ParameterizedQuery({ text: sql.resealReference, values: [key, sealed.data, sealed.keyId] }));
  }

  /** Rows per key id ('appointments', 'idempotency_keys'), and rows still holding a contact in clear. */
  async keyCensus(): Promise<Array<{ what: string; keyId: string | null; n: number }>> {
    const rows = await this.db.manyOrNone<{ what: string; key_id: string | null; n: number }>(sql.keyCensus);
    return rows.map((r) => ({ what: r.what, keyId: r.key_id, n: r.n }));
  }
}
