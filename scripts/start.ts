import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readConfig, useConfig, type Config } from '../functions/core/config';
import { patientDataKey } from './lib/patient-key';
import { startDevOidcUnlessConfigured } from './lib/dev-oidc';
import { startLocalNotices } from './lib/mail-catcher';
import { EmbeddedPostgresError, ensureClinicDatabase, startEmbeddedPostgres } from './lib/postgres';
import { migrate, seedIfEmpty } from './migrate';

/**
 * `npm start`: the whole system in one process. Without DATABASE_URL it starts an embedded
 * PostgreSQL with its data under .data/ (kept across restarts); with it, it uses that server.
 * Then it migrates, seeds an empty database, and serves every function on HOST:PORT.
 *
 * Each piece that starts something pushes how to stop it onto `closers`; they run in reverse
 * once the server has drained (or when the start fails half way), so PostgreSQL stops last.
 */

type Fields = Record<string, unknown>;
const say = (message: string, fields: Fields = {}) => console.log(JSON.stringify({ severity: 'INFO', message, ...fields }));
const complain = (message: string, fields: Fields = {}) => console.error(JSON.stringify({ severity: 'ERROR', message, ...fields }));

/** A failure the person running npm start can fix: its message is one sentence naming the variable. */
class StartError extends Error {
  override name = 'StartError';
}

const closers: Array<() => Promise<void>> = [];

async function closeAll(): Promise<void> {
  while (closers.length) {
    try {
      await closers.pop()!();
    } catch (err) {
      complain('stopping failed', { error: String((err as Error)?.message ?? err) });
    }
  }
}

interface Database {
  appUrl: string;
  ownerUrl: string;
}

function unreadableFix(clusterDir: string, detail: string): string {
  // As root, the package runs PostgreSQL as the `postgres` user; otherwise as whoever runs npm start.
  const runsAs = userInfo().uid === 0 ? 'postgres' : userInfo().username;
  if (/invalid permissions/.test(detail)) return `run chmod 700 ${clusterDir}`;
  if (/wrong ownership/.test(detail)) return `run chown -R ${runsAs} ${clusterDir}`;
  return `make ${clusterDir} and every folder above it readable by the user ${runsAs}`;
}

/** The advice for each way the embedded PostgreSQL fails to start, in npm start's own variables. */
function explain(err: EmbeddedPostgresError): string {
  const { dataDir, port, detail, pid } = err.facts;
  const secrets = join(dataDir, 'secrets.json');
  switch (err.kind) {
    case 'port_in_use':
      return `EMBEDDED_PG_PORT ${port} is already in use by another program: stop it, or set EMBEDDED_PG_PORT to a free port.`;
    case 'data_dir_in_use':
      return `DATA_DIR ${dataDir} is in use by another running PostgreSQL${pid ? ` (PID ${pid})` : ''}, probably another npm start: stop it, or set DATA_DIR to another folder.`;
    case 'data_dir_unreadable':
      return `DATA_DIR ${dataDir} cannot be used by PostgreSQL (${detail}): ${unreadableFix(join(dataDir, 'pg'), detail ?? '')}, or set DATA_DIR to another folder.`;
    case 'data_dir_unusable':
      return `DATA_DIR ${dataDir} cannot be created or opened (${detail}): set DATA_DIR to a folder you can write.`;
    case 'secrets_corrupt':
      return `${secrets} is ${detail}, and the passwords of the database in DATA_DIR are kept only there: restore that file from a backup, or remove DATA_DIR ${dataDir} to start over with an empty database.`;
    case 'secrets_missing':
      return `${secrets} is missing, but DATA_DIR ${dataDir} holds a database whose passwords were kept only there: restore that file, or remove DATA_DIR ${dataDir} to start over with an empty database (new passwords are not written for an existing database).`;
    case 'init_failed':
      return `The embedded PostgreSQL could not be created in DATA_DIR ${dataDir} (${detail}): check that the folder is writable and has space, or set DATA_DIR to another folder.`;
    default:
      return `The embedded PostgreSQL in DATA_DIR ${dataDir} on EMBEDDED_PG_PORT ${port} did not start (${detail}).`;
  }
}

function embeddedPort(env: NodeJS.ProcessEnv): number {
  const raw = env.EMBEDDED_PG_PORT || '54329';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new StartError(`EMBEDDED_PG_PORT must be a port from 1 to 65535, not "${raw}".`);
  return port;
}

/** The embedded PostgreSQL under DATA_DIR, with the clinic's database and roles in it. */
async function embeddedDatabase(env: NodeJS.ProcessEnv): Promise<Database> {
  const dataDir = env.DATA_DIR || join(process.cwd(), '.data');
  const port = embeddedPort(env);
  say('starting embedded PostgreSQL', { dataDir, port });
  let cluster;
  try {
    cluster = await startEmbeddedPostgres({
      dataDir,
      port,
      // It stops after the server has drained (closers), not when the signal arrives.
      stopOnSignal: false,
      onUnexpectedExit: ({ code, signal }) =>
        complain('the embedded PostgreSQL stopped unexpectedly; requests that need the database answer 503 until you restart npm start', { code, signal }),
    });
  } catch (err) {
    if (err instanceof EmbeddedPostgresError) throw new StartError(explain(err));
    throw err;
  }
  closers.push(() => cluster.stop());
  try {
    return await ensureClinicDatabase(cluster.adminUrl, 'healthcare', cluster.secrets);
  } catch (err) {
    if ((err as { code?: string }).code === '28P01') {
      throw new StartError(
        `${join(dataDir, 'secrets.json')} does not hold the passwords of the database in DATA_DIR ${dataDir}: restore the file that belongs to it, or remove DATA_DIR to start over with an empty database.`,
      );
    }
    throw err;
  }
}

/** DATABASE_URL's server when it is set, else the embedded one. */
async function database(env: NodeJS.ProcessEnv): Promise<Database> {
  if (!env.DATABASE_URL) return embeddedDatabase(env);
  return { appUrl: env.DATABASE_URL, ownerUrl: env.DATABASE_OWNER_URL || env.DATABASE_URL };
}

async function prepare(db: Database): Promise<void> {
  await migrate(db.ownerUrl);
  if (await seedIfEmpty(db.ownerUrl)) say('loaded the demo clinic (12 doctors)');
}

/** Without OIDC_ISSUER staff sign in through a development provider (never in an image); it adds its OIDC_* to `env`. */
async function devSignIn(env: NodeJS.ProcessEnv): Promise<void> {
  const dev = await startDevOidcUnlessConfigured(env, say);
  if (dev) closers.push(() => dev.close());
}

/** The address to show people: a wildcard is reached through localhost, IPv6 in brackets. */
function shownUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}/`;
}

function listen(server: Server, settings: Config): Promise<AddressInfo> {
  const host = settings.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartError(`PORT ${settings.port} is already in use on ${host}: stop the program using it, or set PORT to a free port.`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new StartError(`HOST ${host} is not an address of this machine: unset HOST to listen on 127.0.0.1, or set it to one of this machine's addresses.`));
      else reject(err);
    });
    server.listen(settings.port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** Serves every function, with the outbox relay on a timer, and stops them in order on SIGTERM. */
async function serve(settings: Config, began: number): Promise<void> {
  // Imported only now: the functions must find the configuration complete when they load.
  const { allFunctions } = await import('../functions/all');
  const { createServer, stopGracefully } = await import('../functions/core/server');
  const { closeDatabase } = await import('../functions/core/db');
  const { runScheduledInBackground } = await import('../functions/outbox-relay');
  const { runShutdownHooks } = await import('../functions/core/shutdown');

  const server = createServer(allFunctions);
  const { port } = await listen(server, settings);
  // In Kubernetes a PingSource runs outbox-relay every minute; here a timer does the same:
  // relay events the fast path left in the outbox, and forget expired idempotency keys.
  void runScheduledInBackground();
  const minutely = setInterval(runScheduledInBackground, 60_000);
  closers.push(async () => {
    clearInterval(minutely);
    await runShutdownHooks();
    await closeDatabase();
  });
  stopStartingOnSignal();
  stopGracefully(server, closeAll);
  const url = shownUrl(settings.host ?? '127.0.0.1', port);
  say('ready', { url, startup_ms: Math.round(performance.now() - began) });
  if (!settings.staffToken) say('STAFF_TOKEN is not set: staff sign in at /staff, and there is no machine credential for the listing (set STAFF_TOKEN=<a long random value> for one)');
  console.log(`\n  Booking system running at ${url}\n`);
}

/** Until the server takes over, a signal stops what has started (PostgreSQL) and exits. */
function onSignalWhileStarting(signal: NodeJS.Signals): void {
  say('stopping before the server was ready', { signal });
  void closeAll().finally(() => process.exit(0));
}

function stopStartingOnSignal(): void {
  process.removeListener('SIGTERM', onSignalWhileStarting);
  process.removeListener('SIGINT', onSignalWhileStarting);
}

async function main(): Promise<void> {
  const began = performance.now();
  process.once('SIGTERM', onSignalWhileStarting);
  process.once('SIGINT', onSignalWhileStarting);
  // A bad variable stops it before anything has started.
  readConfig(process.env);
  const db = await database(process.env);
  await prepare(db);
  // A copy: the provider's settings reach the functions through readConfig, not process.env.
  const env = { ...process.env };
  await devSignIn(env);
  // Without SMTP_URL, a mail catcher writes the notices into DATA_DIR/mail as .eml files.
  Object.assign(env, await startLocalNotices(env, env.DATA_DIR || join(process.cwd(), '.data'), closers));
  // Passed, not written into process.env: nothing else in the process sees the URL.
  const settings = readConfig({ ...env, DATABASE_URL: db.appUrl, PATIENT_DATA_KEY: patientDataKey(process.env) });
  useConfig(settings);
  await serve(settings, began);
}

main().catch(async (err) => {
  const known = err instanceof StartError || (err as Error)?.name === 'ConfigError';
  if (known) complain((err as Error).message);
  else complain('npm start failed', { error: String((err as Error)?.message ?? err) });
  await closeAll();
  process.exit(1);
});
