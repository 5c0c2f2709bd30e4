import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { AuthenticationError, createIdentity, IssuerUnavailableError } from '../../functions/core/identity';
import { log } from '../../functions/core/log';
import { call, startApp, type RunningApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from './issuer';

const STAFF_TOKEN = 'identity-test-service-token-0123456789';

let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience, STAFF_TOKEN });
});
after(async () => {
  await app.close();
  await issuer.close();
  await db.drop();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Everything the process logs at any level while `run` runs (and still writes it). */
async function captureLogs(run: () => Promise<void>): Promise<string> {
  let captured = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const tap = (write: typeof out) => ((chunk: any, ...rest: any[]) => {
    captured += String(chunk);
    return write(chunk, ...rest);
  }) as typeof out;
  process.stdout.write = tap(out);
  process.stderr.write = tap(err);
  log.setLevel('DEBUG'); // npm test runs at error level; every line counts here
  try {
    await run();
  } finally {
    log.setLevel('ERROR');
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return captured;
}

describe('forged and broken tokens: 401 invalid_token, never 500', () => {
  const forgeries: Array<[string, () => Promise<string>]> = [
    ['a malformed token', async () => 'not-a-jwt'],
    ['three parts of garbage', async () => 'aaaa.bbbb.cccc'],
    ['a JWT with an empty signature', async () => (await issuer.token({ roles: ['admin'] })).replace(/[^.]+$/, '')],
    ['alg: none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', iss: issuer.url, aud: issuer.audience, exp: now() + 300, roles: ['admin'] })}.`],
    ['HS256 with a secret of its own', async () =>
      new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256', kid: issuer.kid }).setSubject('x').setIssuer(issuer.url).setAudience(issuer.audience).setExpirationTime('5m')
        .sign(new TextEncoder().encode('a-secret-nobody-configured-0123456789'))],
    ['HS256 signed with the issuer\'s public key as the secret', async () =>
      new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256', kid: issuer.kid }).setSubject('x').setIssuer(issuer.url).setAudience(issuer.audience).setExpirationTime('5m')
        .sign(new TextEncoder().encode(issuer.publicPem))],
    ['a wrong iss', async () => issuer.token({ roles: ['admin'], iss: 'https://evil.example' })],
    ['a wrong aud', async () => issuer.token({ roles: ['admin'], aud: 'another-api' })],
    ['expired (past the clock tolerance)', async () => issuer.token({ roles: ['admin'], iat: now() - 600, exp: now() - 120 })],
    ['not yet valid (nbf past the clock tolerance)', async () => issuer.token({ roles: ['admin'], nbf: now() + 120 })],
    ['no exp at all', async () =>
      new SignJWT({ roles: ['admin'], sub: 'x', iss: issuer.url, aud: issuer.audience }).setProtectedHeader({ alg: 'RS256', kid: issuer.kid }).sign(issuer.privateKey)],
    ['an unknown kid', async () => {
      const other = await generateKeyPair('RS256');
      return issuer.token({ roles: ['admin'] }, { kid: 'kid-nobody-published', key: other.privateKey });
    }],
    ['another key under the issuer\'s kid', async () => {
      const other = await generateKeyPair('RS256');
      return issuer.token({ roles: ['admin'] }, { key: other.privateKey });
    }],
    ['a tampered payload (reception made admin)', async () => {
      const [header, payload, signature] = (await issuer.token({ roles: ['reception'] })).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      return [header, b64({ ...claims, roles: ['admin'] }), signature].join('.');
    }],
    ['a header claiming PS256 over an RS256 signature', async () => {
      const [, payload, signature] = (await issuer.token({ roles: ['admin'] })).split('.');
      return [b64({ alg: 'PS256', kid: issuer.kid }), payload, signature].join('.');
    }],
  ];

  for (const [what, make] of forgeries) {
    test(what, async () => {
      const token = await make();
      let res!: Awaited<ReturnType<typeof call>>;
      const logs = await captureLogs(async () => {
        res = await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: `Bearer ${token}` } });
      });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.body.error, 'unauthorized');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
      assert.match(logs, /staff request refused/, 'the refusal is logged');
      for (const part of token.split('.').filter((p) => p.length > 8)) assert.ok(!logs.includes(part), 'nothing of the token is logged');
    });
  }

  test('no credentials at all: the bare Bearer challenge (RFC 6750)', async () => {
    for (const headers of [{}, { Authorization: '' }] as Array<Record<string, string>>) {
      const res = await call(app.url, 'GET', '/api/appointments', { headers });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'unauthorized');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    }
  });

  test('another scheme or a bearer with nothing after it is a refused credential', async () => {
    const good = await issuer.token({ roles: ['admin'] });
    for (const authorization of [`Basic ${good}`, 'Bearer', 'Bearer ', `Bearer ${good} extra`, `Token ${STAFF_TOKEN}`]) {
      const res = await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: authorization } });
      assert.equal(res.status, 401, authorization.slice(0, 12));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    }
  });
});

describe('valid tokens', () => {
  test('the scheme is case-insensitive: bearer, Bearer and BEARER all work', async () => {
    const token = await issuer.token({ roles: ['reception'] });
    for (const scheme of ['bearer', 'Bearer', 'BEARER']) {
      const res = await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: `${scheme} ${token}` } });
      assert.equal(res.status, 200, scheme);
      assert.ok(Array.isArray(res.body.items));
    }
  });

  test('a token within the clock tolerance is accepted', async () => {
    const token = await issuer.token({ roles: ['reception'], exp: now() - 10, nbf: now() + 10 });
    const res = await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
  });

  test('the key set is fetched once and kept', async () => {
    const before = issuer.jwksFetches;
    for (let i = 0; i < 5; i++) {
      const res = await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: `Bearer ${await issuer.token({ roles: ['admin'] })}` } });
      assert.equal(res.status, 200);
    }
    assert.ok(issuer.jwksFetches >= 1);
    assert.equal(issuer.jwksFetches, before, 'no fetch per request');
  });

  test('the static STAFF_TOKEN is the service role and is logged as that actor', async () => {
    let res!: Awaited<ReturnType<typeof call>>;
    const logs = await captureLogs(async () => {
      res = await call(app.url, 'GET', '/api/appointments', { headers: { Authorization: `bearer ${STAFF_TOKEN}` } });
    });
    assert.equal(res.status, 200);
    assert.match(logs, /"message":"service credential used".*"actor_role":"service"/);
    assert.ok(!logs.includes(STAFF_TOKEN));
  });
});

describe('createIdentity on its own', () => {
  const settings = (url: string) => ({ issuer: url, audience: issuer.audience, rolesClaim: 'roles', doctorClaim: 'doctor_id', serviceToken: undefined });

  test('a rotated key is found by fetching the key set again on its unknown kid', async () => {
    const identity = createIdentity({ ...settings(issuer.url), jwksCooldownMs: 0 });
    assert.equal((await identity.authenticate(`Bearer ${await issuer.token({ roles: ['admin'] })}`)).roles[0], 'admin');
    const fetches = issuer.jwksFetches;
    const rotated = await generateKeyPair('ES256', { extractable: true });
    await issuer.publish('rotated-es256', rotated.publicKey, 'ES256');
    const actor = await identity.authenticate(`Bearer ${await issuer.token({ roles: ['clinician'], doctor_id: 7 }, { kid: 'rotated-es256', key: rotated.privateKey, alg: 'ES256' })}`);
    assert.deepEqual([actor.roles, actor.doctorId], [['clinician'], 7]);
    assert.equal(issuer.jwksFetches, fetches + 1, 'one more fetch, for the new kid');
  });

  test('roles and the doctor come from configurable, dotted claim paths; unknown roles are dropped', async () => {
    const identity = createIdentity({ ...settings(issuer.url), rolesClaim: 'realm_access.roles', doctorClaim: 'clinic.doctor' });
    const actor = await identity.authenticate(`Bearer ${await issuer.token({ name: 'Dr Hart', realm_access: { roles: ['offline_access', 'clinician', 'service'] }, clinic: { doctor: '1' } })}`);
    assert.deepEqual(actor, { sub: 'staff-1', name: 'Dr Hart', roles: ['clinician'], doctorId: 1, kind: 'person' });
    const spaced = await identity.authenticate(`Bearer ${await issuer.token({ realm_access: { roles: 'reception admin' } })}`);
    assert.deepEqual(spaced.roles, ['admin', 'reception']);
  });

  test('an issuer that cannot be reached is a 503 unavailable, not a 401 or a 500', async () => {
    const down = `http://127.0.0.1:9`; // discard port: nothing listens
    const identity = createIdentity(settings(down));
    const token = await issuer.token({ iss: down });
    await assert.rejects(identity.authenticate(`Bearer ${token}`), (err) => err instanceof IssuerUnavailableError && err.status === 503);
  });

  test('without an issuer configured, a JWT is refused and the service token still works', async () => {
    const identity = createIdentity({ ...settings(issuer.url), issuer: undefined, serviceToken: STAFF_TOKEN });
    await assert.rejects(identity.authenticate(`Bearer ${await issuer.token({ roles: ['admin'] })}`), AuthenticationError);
    assert.equal((await identity.authenticate(`Bearer ${STAFF_TOKEN}`)).roles[0], 'service');
  });
});
