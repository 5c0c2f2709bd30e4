import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { root } from './manifests';

/**
 * A built bundle run the way its image runs it: only its own folder (what the Dockerfile
 * copies), in a directory with no node_modules anywhere above it, `node index.js`, a minimal
 * environment, and, when the tests run as root (CI), the image's UID 1000 over files it cannot
 * change.
 */

export const IMAGE_UID = 1000;

export function copyBundle(folder: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  cpSync(join(root, 'dist', folder), dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (let d = dir; d !== parse(d).root; d = dirname(d)) {
    if (existsSync(join(dirname(d), 'node_modules'))) throw new Error(`${dirname(d)}/node_modules would be found by the bundle`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let imageUser: { uid: number; gid: number } | undefined | null = null;
/**
 * The image's user when the tests run as root and that user can run this Node (a Node under
 * root's home, as nvm installs it, is out of its reach); otherwise the tests' own user.
 */
export function asImageUser(): { uid: number; gid: number } | Record<string, never> {
  if (imageUser === null) {
    const candidate = { uid: IMAGE_UID, gid: IMAGE_UID };
    imageUser = process.getuid?.() === 0 && spawnSync(process.execPath, ['-e', '0'], { ...candidate, cwd: tmpdir() }).status === 0 ? candidate : undefined;
  }
  return imageUser ?? {};
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface RunningBundle {
  url: string;
  child: ChildProcess;
  exited: Promise<Exit>;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  /** JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  kill(): Promise<Exit>;
}

/** The run's patient data key and limits switch (scripts/test.ts), which a booking bundle needs. */
function patientDataEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATIENT_DATA_KEY', 'BOOKING_LIMITS']) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

/** Runs `node index.js` in `dir` and waits for its "serving" log line (it listens on PORT=0). */
export async function startBundle(dir: string, env: Record<string, string>, timeoutMs = 15_000): Promise<RunningBundle> {
  const child = spawn(process.execPath, ['index.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: '0', ...patientDataEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asImageUser(),
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const logs = () =>
    text.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    const look = () => {
      const serving = logs().find((l) => l.message === 'serving');
      if (serving) {
        clearTimeout(timer);
        resolve(Number(serving.port));
      }
    };
    child.stdout!.on('data', look);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`exited (${e.code ?? e.signal}) before serving:\n${text}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    exited,
    output: () => text,
    logs,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs `node index.js [args]` in `dir` to completion (the migration Job). */
export function runBundle(dir: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['index.js', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', ...patientDataEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asImageUser(),
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** The camelCase name a function registers under, as the Dockerfile and scripts/deploy derive it. */
export const targetOf = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
