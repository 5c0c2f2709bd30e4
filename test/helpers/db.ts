import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { APP_ROLE, OWNER_ROLE } from '../../scripts/lib/postgres';

/**
 * A database of its own for one test file, cloned from the migrated template that
 * scripts/test.ts prepared on the run's real PostgreSQL.
 */
export interface TestDatabase {
  name: string;
  /** The app role: what the functions connect as. */
  appUrl: string;
  /** The owner role: for arranging data the app may not write (doctors, hours). */
  ownerUrl: string;
  /** A client as the owner, for arranging and inspecting. */
  owner: pg.Client;
  drop(): Promise<void>;
}

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with npm test`);
  return value;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = need('TEST_PG_ADMIN_URL');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${need('TEST_PG_TEMPLATE')} OWNER ${OWNER_ROLE}`);
  await admin.query(`GRANT CONNECT ON DATABASE ${name} TO ${APP_ROLE}`);
  // A clone does not inherit the template's per-database settings (ALTER DATABASE ... SET, as
  // migration 004's statement_timeout), so they are copied, to test what production runs.
  const { rows } = await admin.query(
    `SELECT r.rolname, s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
     LEFT JOIN pg_roles r ON r.oid = s.setrole WHERE d.datname = $1`,
    [need('TEST_PG_TEMPLATE')],
  );
  for (const { rolname, setconfig } of rows as Array<{ rolname: string | null; setconfig: string[] }>) {
    for (const setting of setconfig) {
      const at = setting.indexOf('=');
      const target = rolname ? `ROLE ${pg.escapeIdentifier(rolname)} IN DATABASE ${name}` : `DATABASE ${name}`;
      await admin.query(`ALTER ${target} SET ${pg.escapeIdentifier(setting.slice(0, at))} = ${pg.escapeLiteral(setting.slice(at + 1))}`);
    }
  }
  await admin.end();
  const { hostname, port } = new URL(adminUrl);
  const at = (user: string, password: string) => `postgres://${user}:${encodeURIComponent(password)}@${hostname}:${port}/${name}`;
  const ownerUrl = at(OWNER_ROLE, need('TEST_PG_OWNER_PASSWORD'));
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  return {
    name,
    appUrl: at(APP_ROLE, need('TEST_PG_APP_PASSWORD')),
    ownerUrl,
    owner,
    async drop() {
      await owner.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface DoctorSpec {
  name?: string;
  specialty?: string;
  timezone?: string;
  slotMinutes?: number;
  /** ISO weekday (1 = Monday) to [start, end) wall-clock hours; default 09:00-17:00 every day. */
  hours?: Array<{ weekday: number; start: string; end: string }>;
}

/** Adds a doctor (as the owner role) and returns its id. */
export async function addDoctor(db: TestDatabase, spec: DoctorSpec = {}): Promise<number> {
  const { rows } = await db.owner.query(
    'INSERT INTO doctors (name, specialty, timezone, slot_minutes) VALUES ($1, $2, $3, $4) RETURNING id',
    [spec.name ?? 'Dr Test', spec.specialty ?? 'General practice', spec.timezone ?? 'UTC', spec.slotMinutes ?? 30],
  );
  const id = rows[0].id as number;
  const hours = spec.hours ?? [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  for (const h of hours) {
    await db.owner.query('INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at) VALUES ($1, $2, $3, $4)', [id, h.weekday, h.start, h.end]);
  }
  return id;
}

/** A future calendar date (UTC), `days` ahead of today. */
export function futureDate(days = 7): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
