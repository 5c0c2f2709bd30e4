import { readConfig, useConfig, requirePatientDataKeys } from '../functions/core/config';
import { closeDatabase, database } from '../functions/core/db';
import { rotatePatientKey } from '../functions/core/privacy/retention';

/**
 * npm run rotate-patient-key: reseals every patient contact (and every live idempotency key's
 * reference) under PATIENT_DATA_KEY, opening the old ones with PATIENT_DATA_OLD_KEYS. Run it
 * with the new key set as PATIENT_DATA_KEY and the old one in PATIENT_DATA_OLD_KEYS, after the
 * functions got the same pair; when it reports 0 remaining, remove the old key everywhere.
 * Rows from before migration 007 (contact in clear) are sealed and their clear columns emptied.
 */
async function main(): Promise<void> {
  useConfig(readConfig(process.env));
  const keys = requirePatientDataKeys();
  const batch = Number(process.env.ROTATE_BATCH || 500);
  const report = await rotatePatientKey(database(), keys, batch, (done) => process.stdout.write(`\rresealed ${done} appointments`));
  process.stdout.write('\n');
  console.log(JSON.stringify({ current_key_id: keys.current.id, resealed: report.resealed, references_resealed: report.references, remaining: report.remaining }));
  if (report.remaining > 0) {
    console.error(`${report.remaining} rows are still sealed under another key or in clear (written meanwhile by a function with the old key?): run again.`);
    process.exitCode = 1;
  }
}

main()
  .catch((err) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  })
  .finally(() => closeDatabase());
