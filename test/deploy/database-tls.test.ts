import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { ensureClinicDatabase } from '../../scripts/lib/postgres';
import { migrate } from '../../scripts/migrate';
import { call, startApp, type RunningApp } from '../helpers/app';
import { startPostgres15, type Postgres15 } from '../backup/postgres-for-pg-dump';

/**
 * The DATABASE_URL form knative/README.md gives for a server that offers a certificate
 * (`?sslmode=verify-full&sslrootcert=<the CA's ca.crt>`), against a real PostgreSQL serving a
 * certificate from a CA made here: the app connects over TLS, and a certificate from another CA
 * or for another host name is refused.
 */
let dir: string;
let server: Postgres15;
let app: RunningApp;
let urls: { owner: string; app: string; otherCa: string; otherHost: string };

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clinic-tls-'));
  chmodSync(dir, 0o755);
  for (const ca of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=clinic test ${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.crt`);
  }
  // Like CloudNativePG's server certificate: signed by the cluster's CA, naming the Service
  // host (here "localhost"), and not the address.
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName = DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt');
  chmodSync(join(dir, 'server.key'), 0o600);
  if (userInfo().uid === 0) {
    // PostgreSQL runs as postgres and insists its key is its own and private.
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    for (const f of ['server.key', 'server.crt']) chownSync(join(dir, f), uid, gid);
  }
  server = await startPostgres15({ tls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') } });
  const direct = await ensureClinicDatabase(server.adminUrl, 'healthcare', server.passwords);
  await migrate(direct.ownerUrl);
  const tlsUrl = (url: string, ca = 'ca.crt', host = 'localhost') => {
    const u = new URL(url);
    u.hostname = host;
    u.search = `?sslmode=verify-full&sslrootcert=${encodeURIComponent(join(dir, ca))}`;
    return u.toString();
  };
  urls = {
    owner: tlsUrl(direct.ownerUrl),
    app: tlsUrl(direct.appUrl),
    otherCa: tlsUrl(direct.appUrl, 'other-ca.crt'),
    otherHost: tlsUrl(direct.appUrl, 'ca.crt', '127.0.0.1'),
  };
  const owner = new pg.Client({ connectionString: urls.owner });
  await owner.connect();
  await owner.query("INSERT INTO doctors (name, specialty, timezone) VALUES ('Dr TLS', 'General practice', 'UTC')");
  await owner.end();
  app = await startApp(urls.app);
});
after(async () => {
  await app?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the database over TLS with sslmode=verify-full', () => {
  test('the app, given the URL form of knative/README.md, serves from the database over TLS', async () => {
    const res = await call(app.url, 'GET', '/api/doctors');
    assert.equal(res.status, 200);
    assert.ok(res.body.items.some((d: { name: string }) => d.name === 'Dr TLS'));
    const client = new pg.Client({ connectionString: urls.app });
    await client.connect();
    const { rows } = await client.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    await client.end();
    assert.equal(rows[0].ssl, true);
    assert.match(rows[0].version, /^TLSv1\.[23]$/);
  });

  test('a certificate signed by another CA is refused', async () => {
    const client = new pg.Client({ connectionString: urls.otherCa });
    await assert.rejects(client.connect(), /self[- ]signed|unable to verify|certificate/i);
    await client.end().catch(() => {});
  });

  test('a certificate that does not name the host dialled is refused', async () => {
    const client = new pg.Client({ connectionString: urls.otherHost });
    await assert.rejects(client.connect(), /Hostname\/IP does not match|altnames/i);
    await client.end().catch(() => {});
  });
});
