import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  lock: sqlFile('idempotency/lock.sql'),
  find: sqlFile('idempotency/find.sql'),
  remember: sqlFile('idempotency/remember.sql'),
  forgetExpired: sqlFile('idempotency/forget-expired.sql'),
};

export interface RememberedRequest {
  requestHash: string;
  /** The first booking's reference, sealed (the appointments row keeps only its hash). */
  reference: { keyId: string; data: Buffer };
  /** Its body without the reference. */
  body: string;
}

/** Idempotency keys, stored so a replay gets the first answer across processes and restarts. */
export class IdempotencyRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** Inside a transaction: true when this transaction now holds the key; false while another does. */
  async tryLock(key: string): Promise<boolean> {
    const row = await this.db.one<{ locked: boolean }>(sql.lock, { key });
    return row.locked;
  }

  async find(key: string): Promise<RememberedRequest | null> {
    const row = await this.db.oneOrNone<{ request_hash: string; reference_sealed: Buffer; reference_key_id: string; body: string }>(sql.find, { key });
    return row && { requestHash: row.request_hash, reference: { keyId: row.reference_key_id, data: row.reference_sealed }, body: row.body };
  }

  /** Fails (no row) if a live key exists, which rolls the caller's booking back. */
  async remember(key: string, requestHash: string, appointmentId: string, reference: { keyId: string; data: Buffer }): Promise<void> {
    await this.db.one(sql.remember, { key, requestHash, appointmentId, referenceSealed: reference.data, referenceKeyId: reference.keyId });
  }

  async forgetExpired(): Promise<number> {
    const result = await this.db.result(sql.forgetExpired);
    return result.rowCount;
  }
}
