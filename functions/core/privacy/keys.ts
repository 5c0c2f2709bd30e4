import { createHash } from 'node:crypto';

/**
 * The keys that seal patients' contact details. PATIENT_DATA_KEY (base64 of 32 random bytes)
 * seals; PATIENT_DATA_OLD_KEYS (comma-separated, same form) only open what an earlier key
 * sealed, until `npm run rotate-patient-key` has resealed every row and they can be removed.
 * A key's id is derived from the key itself, so a rotation changes one variable and nobody
 * has to keep an id and a key in step.
 */
export interface PatientKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface PatientKeyring {
  readonly current: PatientKey;
  /** Every key that may open a ciphertext, the current one included, by id. */
  readonly byId: ReadonlyMap<string, PatientKey>;
}

export class PatientKeyError extends Error {
  override name = 'PatientKeyError';
}

/** A 48-bit fingerprint: names the key in each row, reveals nothing usable about it. */
export function keyIdOf(key: Buffer): string {
  return 'k' + createHash('sha256').update('patient-data-key-id').update(key).digest('base64url').slice(0, 8);
}

function parseKey(name: string, raw: string): PatientKey {
  const text = raw.trim();
  const key = /^[A-Za-z0-9+/]{43}=$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) throw new PatientKeyError(`${name} must be base64 of 32 random bytes (openssl rand -base64 32).`);
  return { id: keyIdOf(key), key };
}

/** Reads the keyring from the two variables; undefined when PATIENT_DATA_KEY is unset. */
export function readKeyring(current: string | undefined, old: string | undefined): PatientKeyring | undefined {
  if (!current) {
    if (old) throw new PatientKeyError('PATIENT_DATA_OLD_KEYS is set without PATIENT_DATA_KEY.');
    return undefined;
  }
  const now = parseKey('PATIENT_DATA_KEY', current);
  const byId = new Map([[now.id, now]]);
  for (const raw of (old ?? '').split(',').filter((s) => s.trim() !== '')) {
    const k = parseKey('PATIENT_DATA_OLD_KEYS', raw);
    byId.set(k.id, byId.get(k.id) ?? k);
  }
  return { current: now, byId };
}
