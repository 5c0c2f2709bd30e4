import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { PatientKey, PatientKeyring } from './keys';

/**
 * AES-256-GCM with a fresh 96-bit nonce per value: nonce (12) | ciphertext | tag (16). The
 * purpose and the key id are authenticated data, so a contact ciphertext cannot be passed off
 * as a reference (or the other way round), nor its key id swapped for another.
 */
export type Purpose = 'contact' | 'reference';

export interface Sealed {
  keyId: string;
  data: Buffer;
}

const aad = (purpose: Purpose, keyId: string) => Buffer.from(`${purpose}:${keyId}`);

export function seal(key: PatientKey, purpose: Purpose, plain: string): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(aad(purpose, key.id));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { keyId: key.id, data: Buffer.concat([nonce, body, cipher.getAuthTag()]) };
}

export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
  constructor(readonly keyId: string) {
    super(`No configured patient data key has id ${keyId}: add the key that sealed it to PATIENT_DATA_OLD_KEYS.`);
  }
}

/** Opens a sealed value; throws on an unknown key or a value that was tampered with. */
export function open(keyring: PatientKeyring, purpose: Purpose, sealed: Sealed): string {
  const key = keyring.byId.get(sealed.keyId);
  if (!key) throw new UnknownKeyError(sealed.keyId);
  const { data } = sealed;
  const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, 12));
  decipher.setAAD(aad(purpose, key.id));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString('utf8');
}

export interface Contact {
  email: string | null;
  phone: string | null;
}

/** Both details in one ciphertext: one encryption per booking, and no hint of which were given. */
export function sealContact(key: PatientKey, contact: Contact): Sealed | null {
  if (contact.email === null && contact.phone === null) return null;
  return seal(key, 'contact', JSON.stringify([contact.email, contact.phone]));
}

export function openContact(keyring: PatientKeyring, sealed: Sealed): Contact {
  const [email, phone] = JSON.parse(open(keyring, 'contact', sealed)) as [string | null, string | null];
  return { email, phone };
}

/** The reference as stored: SHA-256 (it is 128 random bits; see db/migrations/007). */
export function referenceHash(reference: string): Buffer {
  return createHash('sha256').update(reference, 'utf8').digest();
}

const indexKeys = new WeakMap<PatientKey, Buffer>();

/** The HMAC key of the blind index, derived from a data key so no third secret is needed. */
function indexKeyOf(key: PatientKey): Buffer {
  let derived = indexKeys.get(key);
  if (!derived) {
    derived = Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), 'patient-contact-index', 32));
    indexKeys.set(key, derived);
  }
  return derived;
}

/** One spelling per contact: an address in lower case, a phone number as its digits (and a leading +). */
export function normalizeContact(kind: 'email' | 'phone', value: string): string {
  if (kind === 'email') return 'email:' + value.trim().toLowerCase();
  const trimmed = value.trim();
  return 'phone:' + (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/[^0-9]/g, '');
}

/** A keyed hash of one contact: equal for equal contacts, useless without the key. */
export function contactIndex(key: PatientKey, normalized: string): Buffer {
  return createHmac('sha256', indexKeyOf(key)).update(normalized).digest();
}

/** The contact a patient is counted by: the e-mail if given, else the phone; null with neither. */
export function primaryContact(contact: Contact): string | null {
  if (contact.email !== null) return normalizeContact('email', contact.email);
  if (contact.phone !== null) return normalizeContact('phone', contact.phone);
  return null;
}

/** The index under every key of the ring, so rows not yet resealed by a rotation still match. */
export function contactIndexes(keyring: PatientKeyring, normalized: string): Buffer[] {
  return [...keyring.byId.values()].map((key) => contactIndex(key, normalized));
}
