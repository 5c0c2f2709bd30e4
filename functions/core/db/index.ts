import pgPromise, { type IDatabase, type IInitOptions } from 'pg-promise';
import { config, requireDatabaseUrl } from '../config';
import { log } from '../log';
import { countAcquireTimeout, isAcquireTimeout, watchDatabase } from '../metrics';
import { DatabaseHealth, setDatabaseHealth, unavailable, type DatabaseState } from './health';
import { endPool } from './pool';
import { sqlFile } from './sql';
import { AppointmentsRepo } from './repos/appointments';
import { DoctorsRepo } from './repos/doctors';
import { IdempotencyRepo } from './repos/idempotency';
import { AuditRepo } from './repos/audit';
import { OutboxRepo } from './repos/outbox';

export interface Repos {
  doctors: DoctorsRepo;
  appointments: AppointmentsRepo;
  idempotency: IdempotencyRepo;
  outbox: OutboxRepo;
  audit: AuditRepo;
}

export type Db = IDatabase<Repos> & Repos;

const initOptions: IInitOptions<Repos> = {
  extend(obj) {
    obj.doctors = new DoctorsRepo(obj);
    obj.appointments = new AppointmentsRepo(obj);
    obj.idempotency = new IdempotencyRepo(obj);
    obj.outbox = new OutboxRepo(obj);
    obj.audit = new AuditRepo(obj);
  },
  error(err, e) {
    // A connection-level failure is worth a line; query errors are handled by their callers.
    if (e.cn) log.warn('database connection failed', { code: (err as { code?: string }).code });
    if (isAcquireTimeout(err)) countAcquireTimeout();
  },
};

export const pgp = pgPromise(initOptions);

const outboxLag = sqlFile('outbox/lag.sql');

let shared: Db | undefined;
let health: DatabaseHealth | undefined;

/**
 * The process's one pool, created on first use from DATABASE_URL. While the background check
 * cannot reach the server, or more requests already wait for a connection than the pool can
 * serve in time, a request is answered 503 at once rather than queueing into timeouts.
 */
export function database(): Db {
  const db = pool();
  if (health?.unreachable()) throw unavailable('unreachable');
  // Past this many waiting for a connection, a request would only queue into the 5 s acquire
  // timeout (and Knative's activator behind it): shed it now with 503 and Retry-After.
  const { poolMaxWaiting } = config();
  if (poolMaxWaiting > 0 && db.$pool.waitingCount >= poolMaxWaiting) throw unavailable('overloaded');
  return db;
}

function pool(): Db {
  if (!shared) {
    shared = pgp({
      connectionString: requireDatabaseUrl(),
      max: config().poolSize,
      application_name: config().serviceName,
      connectionTimeoutMillis: 5_000,
      // statement_timeout is the database's default (db/migrations/004): PgBouncer in
      // transaction mode refuses it as a startup parameter. This is the client's own backstop
      // for a server that stopped answering altogether (frozen, or a dead network path),
      // where no server-side timeout can fire.
      query_timeout: 12_000,
    }) as Db;
    health = new DatabaseHealth(requireDatabaseUrl(), config().serviceName, { intervalMs: 2_000, holdMs: 10_000, probeTimeoutMs: 1_500 });
    setDatabaseHealth(health);
    health.start();
    watchDatabase(shared, outboxLag);
  }
  return shared;
}

/**
 * The database's state for readiness, from the background check; the process's first call
 * creates the pool and waits for the check's first answer instead of saying "starting".
 */
export async function databaseReadiness(): Promise<DatabaseState> {
  pool();
  const state = health!.state();
  if (state.reason !== 'starting') return state;
  await health!.probe();
  return health?.state() ?? state;
}

/** Ends the pool and its monitor; the next database() call makes new ones. */
export async function closeDatabase(): Promise<void> {
  const db = shared;
  const monitor = health;
  shared = undefined;
  health = undefined;
  setDatabaseHealth(undefined);
  await monitor?.stop();
  if (db) await endPool(db);
}
