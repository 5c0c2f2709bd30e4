import type { Db } from '../db';
import { PrivacyRepo } from '../db/repos/privacy';
import { DomainError } from '../errors';
import { log } from '../log';
import type { PatientKeyring } from './keys';
import { contactIndex, open, openContact, primaryContact, seal, sealContact } from './seal';

const BATCH = 5_000;

export interface RetentionReport {
  erased: number;
  batches: number;
  stoppedBy: 'done' | 'budget';
}

/**
 * Removes the name and contact of every appointment that began more than `retentionDays` ago,
 * in batches, until none is left or the time budget is spent (the next run goes on). Doctor,
 * times and status stay for statistics. Each erased row gets an audit line (no patient data).
 */
export async function enforceRetention(db: Db, retentionDays: number, source: string, budgetMs = 30_000): Promise<RetentionReport> {
  const repo = new PrivacyRepo(db);
  const deadline = Date.now() + budgetMs;
  let erased = 0;
  let batches = 0;
  for (;;) {
    const n = await repo.erasePast(retentionDays, BATCH, source);
    erased += n;
    batches++;
    if (n < BATCH) break;
    if (Date.now() >= deadline) {
      log.info('patient data retention run', { erased, batches, retention_days: retentionDays, stopped_by: 'budget' });
      return { erased, batches, stoppedBy: 'budget' };
    }
  }
  if (erased > 0) log.info('patient data retention run', { erased, batches, retention_days: retentionDays, stopped_by: 'done' });
  return { erased, batches, stoppedBy: 'done' };
}

/** An admin's erasure of one patient (the patient of appointment `id`); logged by who asked, never by whom it concerns. */
export async function erasePatient(db: Db, idText: string, source: string, by: string): Promise<{ erased: number }> {
  const id = /^[1-9][0-9]{0,17}$/.test(idText) ? idText : null;
  const outcome = id === null ? { found: false, erased: 0 } : await new PrivacyRepo(db).erasePatient(id, source, by);
  if (!outcome.found) throw new DomainError('not_found', 'There is no such appointment.');
  log.info('patient data erased on request', { appointment_id: id, erased: outcome.erased, actor_sub: by });
  return { erased: outcome.erased };
}

export interface RotationReport {
  resealed: number;
  references: number;
  /** Rows still sealed under another key or in clear afterwards: 0 means the old keys can go. */
  remaining: number;
}

/**
 * Reseals every contact (and every live idempotency key's reference) under the current key, a
 * batch at a time, each row in its own short statement so bookings go on meanwhile. Rows from
 * before migration 007 are sealed and their clear columns emptied.
 */
export async function rotatePatientKey(db: Db, keys: PatientKeyring, batch = 500, onBatch: (done: number) => void = () => {}): Promise<RotationReport> {
  const repo = new PrivacyRepo(db);
  const current = keys.current;
  let after = '0';
  let resealed = 0;
  for (;;) {
    const rows = await repo.sealedBatch(current.id, batch, after);
    if (rows.length === 0) break;
    await db.tx('reseal-batch', async (t) => {
      const tr = new PrivacyRepo(t);
      for (const row of rows) {
        const contact = row.sealed ? openContact(keys, row.sealed) : row.clear;
        const counted = primaryContact(contact);
        await tr.reseal(row.id, sealContact(current, contact), counted === null ? null : contactIndex(current, counted));
      }
    });
    resealed += rows.length;
    after = rows[rows.length - 1].id;
    onBatch(resealed);
  }
  let references = 0;
  for (const row of await repo.sealedReferences(current.id)) {
    await repo.resealReference(row.key, seal(current, 'reference', open(keys, 'reference', row.sealed)));
    references++;
  }
  const census = await repo.keyCensus();
  const remaining = census.filter((c) => c.what === 'clear_contact' || c.keyId !== current.id).reduce((sum, c) => sum + c.n, 0);
  return { resealed, references, remaining };
}
