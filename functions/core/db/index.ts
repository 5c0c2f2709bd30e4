import pgPromise, { type IDatabase, type IInitOptions } from 'pg-promise';
import { config, requireDatabaseUrl } from '../config';
import { log } from '../log';
import { countAcquireTimeout, isAcquireTimeout, watchDatabase } from '../metrics';
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

const ping = sqlFile('health/ping.sql');
const outboxLag = sqlFile('outbox/lag.sql');

let shared: Db | undefined;

/** The process's one pool, created on first use from DATABASE_URL. */
export function database(): Db {
  if (!shared) {
    shared = pgp({
      connectionString: requireDatabaseUrl(),
      max: config().poolSize,
      application_name: config().serviceName,
      connectionTimeoutMillis: 5_000,
      // statement_timeout is the database's default (db/migrations/004): PgBouncer in
      // transaction mode refuses it as a startup parameter.
    }) as Db;
    watchDatabase(shared, outboxLag);
  }
  return shared;
}

/** True once the database answers a trivial query. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.one(ping);
    return true;
  } catch {
    return false;
  }
}

/** Ends the pool; the next database() call makes a new one. */
export async function closeDatabase(): Promise<void> {
  const db = shared;
  shared = undefined;
  if (db) await db.$pool.end();
}
