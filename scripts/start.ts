import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDevOidcUnlessConfigured } from './lib/dev-oidc';
import { ensureClinicDatabase, startEmbeddedPostgres, type EmbeddedCluster } from './lib/postgres';
import { migrate, seedIfEmpty } from './migrate';

/**
 * `npm start`: the whole system in one process. Without DATABASE_URL it starts an embedded
 * PostgreSQL with its data under .data/ (kept across restarts); with it, it uses that server.
 * Then it migrates, seeds an empty database, and serves every function on PORT.
 */
async function main(): Promise<void> {
  const began = performance.now();
  const say = (message: string, fields: Record<string, unknown> = {}) =>
    console.log(JSON.stringify({ severity: 'INFO', message, ...fields }));
  let cluster: EmbeddedCluster | undefined;
  let appUrl = process.env.DATABASE_URL;
  let ownerUrl = process.env.DATABASE_OWNER_URL || appUrl;

  if (!appUrl) {
    const dataDir = process.env.DATA_DIR || join(process.cwd(), '.data');
    const port = Number(process.env.EMBEDDED_PG_PORT || 54329);
    say('starting embedded PostgreSQL', { dataDir, port });
    const started = await startEmbeddedPostgres({ dataDir, port });
    cluster = started;
    ({ ownerUrl, appUrl } = await ensureClinicDatabase(started.adminUrl, 'healthcare', started.secrets));
  }
  await migrate(ownerUrl!);
  if (await seedIfEmpty(ownerUrl!)) say('loaded the demo clinic (12 doctors)');

  // Without OIDC_ISSUER staff sign in through a development provider (never in an image).
  await startDevOidcUnlessConfigured(process.env, say);
  // The functions read their configuration on first use, so it must be complete before this.
  process.env.DATABASE_URL = appUrl;
  const { allFunctions } = await import('../functions/all');
  const { createServer, stopGracefully } = await import('../functions/core/server');
  const { config } = await import('../functions/core/config');
  const { closeDatabase } = await import('../functions/core/db');
  const { runScheduledInBackground } = await import('../functions/outbox-relay');
  const { runShutdownHooks } = await import('../functions/core/shutdown');

  const server = createServer(allFunctions);
  // In Kubernetes a PingSource runs outbox-relay every minute; here a timer does the same:
  // relay events the fast path left in the outbox, and forget expired idempotency keys.
  void runScheduledInBackground();
  const minutely = setInterval(runScheduledInBackground, 60_000);
  stopGracefully(server, async () => {
    clearInterval(minutely);
    await runShutdownHooks();
    await closeDatabase();
    await cluster?.stop();
  });
  server.listen(config().port, () => {
    const { port } = server.address() as AddressInfo;
    say('ready', { url: `http://localhost:${port}/`, startup_ms: Math.round(performance.now() - began) });
    if (!config().staffToken) say('STAFF_TOKEN is not set, so the staff listing answers 401; run with STAFF_TOKEN=<a long random value> to use it');
    console.log(`\n  Booking system running at http://localhost:${port}/\n`);
  });
}

main().catch((err) => {
  console.error(JSON.stringify({ severity: 'ERROR', message: 'start failed', error: String(err?.message ?? err) }));
  process.exit(1);
});
