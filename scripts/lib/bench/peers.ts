import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { spawnServer, type ServerChild } from './processes';

/** Debian's Python, where python3-flask, python3-psycopg2 and gunicorn install their modules. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Why the Flask peer cannot run here, or undefined when it can. */
export function flaskPeerMissing(): string | undefined {
  const check = spawnSync(SYSTEM_PYTHON, ['-c', 'import flask, psycopg2, gunicorn'], { encoding: 'utf8' });
  if (check.error) return `${SYSTEM_PYTHON} is missing (apt-get install -y python3-flask python3-psycopg2 gunicorn)`;
  if (check.status !== 0) return `${check.stderr.trim().split('\n').at(-1)} (apt-get install -y python3-flask python3-psycopg2 gunicorn)`;
  return undefined;
}

/**
 * The seed's design as a peer: servers/flask_peer.py under gunicorn on the same database,
 * running the same query files. Its CPU is the gunicorn master's and its workers'.
 */
export function startFlaskPeer(options: { root: string; env: NodeJS.ProcessEnv; workers?: number; label?: string }): Promise<ServerChild> {
  return spawnServer({
    label: options.label ?? 'flask-peer',
    command: SYSTEM_PYTHON,
    args: [join(__dirname, 'servers', 'flask_peer.py')],
    cwd: options.root,
    env: {
      ...options.env,
      SQL_DIR: join(options.root, 'db', 'sql'),
      K_SERVICE: options.label ?? 'bench-flask-peer',
      ...(options.workers ? { BENCH_FLASK_WORKERS: String(options.workers) } : {}),
      // Debian's Python, not whatever a version manager put first on PATH.
      PYTHONNOUSERSITE: '1',
    },
  });
}
