import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../../scripts/lib/ports';
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../scripts/lib/postgres';
import { alive, exitWithin, postmasterPid, ready, runStart, type Started } from './run';

/**
 * When `npm start` cannot start its embedded PostgreSQL it says, in one line, which of the
 * usual causes it was, names the variable (EMBEDDED_PG_PORT, DATA_DIR) or the file, and how to
 * fix it. The package itself rejects with `undefined`, which used to reach the user as
 * `"error":"undefined"`. Every case shares one cluster, created once.
 */

let dataDir: string;
let secretsFile: string;
let original: string;
let cluster: EmbeddedCluster | undefined;
const running: Started[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'clinic-start-fail-'));
  secretsFile = join(dataDir, 'secrets.json');
  cluster = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  original = readFileSync(secretsFile, 'utf8');
});
after(async () => {
  for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await cluster?.stop();
  try {
    const pid = postmasterPid(dataDir);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  } catch {}
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs npm start to its failure and answers the one error line it printed. */
async function failure(env: Record<string, string> = {}): Promise<string> {
  const started = runStart({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), ...env });
  running.push(started);
  const exit = await exitWithin(started, 60_000);
  const out = started.output();
  assert.deepEqual([exit.code, exit.signal], [1, null], out);
  const errors = started.logs().filter((l) => l.severity === 'ERROR');
  assert.equal(errors.length, 1, `one error line:\n${out}`);
  const message = String(errors[0].message);
  assert.doesNotMatch(message, /undefined|start failed/, out);
  assert.equal(Object.keys(errors[0]).sort().join(), 'message,severity', `the sentence is the whole line:\n${out}`);
  for (const secret of Object.values(JSON.parse(original) as Record<string, string>)) assert.ok(!out.includes(secret), 'no password is printed');
  return message;
}

test('DATA_DIR held by another running PostgreSQL: says so, with its PID', async () => {
  const message = await failure();
  assert.match(message, new RegExp(`^DATA_DIR ${dataDir} is in use by another running PostgreSQL \\(PID ${postmasterPid(dataDir)}\\)`));
  assert.match(message, /stop it, or set DATA_DIR to another folder\.$/);
  await cluster!.stop();
  cluster = undefined;
});

test('EMBEDDED_PG_PORT taken by another program: names the port and asks for a free one', async () => {
  const port = await freePort();
  const squatter: Server = createServer();
  await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
  try {
    const message = await failure({ EMBEDDED_PG_PORT: String(port) });
    assert.equal(message, `EMBEDDED_PG_PORT ${port} is already in use by another program: stop it, or set EMBEDDED_PG_PORT to a free port.`);
  } finally {
    squatter.close();
  }
  assert.ok(!existsSync(join(dataDir, 'pg', 'postmaster.pid')), 'no PostgreSQL is left running');
});

test('a cluster PostgreSQL cannot read: names DATA_DIR and what to change', async () => {
  const clusterDir = join(dataDir, 'pg');
  chmodSync(clusterDir, 0o000);
  try {
    const message = await failure();
    assert.match(message, new RegExp(`^DATA_DIR ${dataDir} cannot be used by PostgreSQL \\(.*Permission denied\\): make ${clusterDir} and every folder above it readable by the user \\w+, or set DATA_DIR to another folder\\.$`));
  } finally {
    chmodSync(clusterDir, 0o700);
  }
});

test('a corrupt secrets.json is named, and left as it is', async () => {
  const corrupt = original.slice(0, 20);
  writeFileSync(secretsFile, corrupt);
  try {
    const message = await failure();
    assert.match(message, new RegExp(`^${secretsFile} is not valid JSON \\(.*\\), and the passwords of the database in DATA_DIR are kept only there: restore that file from a backup, or remove DATA_DIR ${dataDir} to start over`));
    assert.equal(readFileSync(secretsFile, 'utf8'), corrupt);
  } finally {
    writeFileSync(secretsFile, original);
  }
});

test('secrets.json with passwords of another cluster is named', async () => {
  writeFileSync(secretsFile, JSON.stringify({ superuser: 'not-this-one', owner: 'x', app: 'y' }));
  try {
    const message = await failure();
    assert.match(message, new RegExp(`^${secretsFile} does not hold the passwords of the database in DATA_DIR ${dataDir}: restore the file`));
  } finally {
    writeFileSync(secretsFile, original);
  }
});

test('a missing secrets.json beside an existing cluster: no new passwords are written; restoring it works', async () => {
  renameSync(secretsFile, `${secretsFile}.saved`);
  try {
    const message = await failure();
    assert.match(message, new RegExp(`^${secretsFile} is missing, but DATA_DIR ${dataDir} holds a database whose passwords were kept only there: restore that file, or remove DATA_DIR ${dataDir} to start over`));
    assert.ok(!existsSync(secretsFile), 'it did not write passwords the cluster does not know');
  } finally {
    renameSync(`${secretsFile}.saved`, secretsFile);
  }
  // The advice holds: with the file back, the same DATA_DIR starts.
  const started = runStart({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) });
  running.push(started);
  await ready(started);
  started.child.kill('SIGTERM');
  const exit = await exitWithin(started, 30_000);
  assert.deepEqual([exit.code, exit.signal], [0, null], started.output());
});
