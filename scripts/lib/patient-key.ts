import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key that seals patients' contact details under `npm start`: PATIENT_DATA_KEY if set,
 * else the one in DATA_DIR/patient-data-key, generated on first start (mode 0600). It stays
 * with the data it opens: a database in .data/ without this file has unreadable contacts.
 */
export function patientDataKey(env: NodeJS.ProcessEnv): string {
  if (env.PATIENT_DATA_KEY) return env.PATIENT_DATA_KEY;
  const dir = env.DATA_DIR || join(process.cwd(), '.data');
  const file = join(dir, 'patient-data-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('base64');
  // wx: two starters at once never overwrite each other's key.
  try {
    writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  return key;
}
