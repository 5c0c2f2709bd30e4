import { migrate, seedIfEmpty } from './migrate';

/**
 * The migration Job's entry (and `npm run migrate`): applies migrations as the owner role,
 * and loads the demo clinic with --seed or SEED_DEMO=true.
 */
async function main(): Promise<void> {
  const ownerUrl = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (!ownerUrl) throw new Error('Set DATABASE_OWNER_URL (or DATABASE_URL) to the owner role connection string.');
  await migrate(ownerUrl, (line) => console.log(JSON.stringify({ severity: 'INFO', message: line })));
  if (process.argv.includes('--seed') || process.env.SEED_DEMO === 'true') {
    const seeded = await seedIfEmpty(ownerUrl);
    console.log(JSON.stringify({ severity: 'INFO', message: seeded ? 'demo clinic loaded' : 'doctors exist; seed skipped' }));
  }
}

main().catch((err) => {
    console.error(JSON.stringify({ severity: 'ERROR', message: 'migration failed', error: String(err?.message ?? err) }));
    process.exit(1);
  });
