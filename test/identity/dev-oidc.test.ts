import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createIdentity } from '../../functions/core/identity';
import { startDevOidc, type DevOidc } from '../../scripts/lib/dev-oidc';

const PAGE = 'http://127.0.0.1:18080';
const PASSWORD = 'dev-oidc-test-password';

let dev: DevOidc;
let endpoints: { authorization_endpoint: string; token_endpoint: string; jwks_uri: string; code_challenge_methods_supported: string[] };
before(async () => {
  dev = await startDevOidc({ pageOrigins: [PAGE], password: PASSWORD });
  endpoints = await (await fetch(`${dev.issuer}/.well-known/openid-configuration`)).json();
});
after(() => dev.close());

/** A browser's part of the authorization code flow with PKCE, by hand with fetch and a cookie jar. */
async function signIn(username: string, password: string, verifier = randomBytes(32).toString('base64url')) {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, dev.issuer), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookie() } });
    remember(res);
    return res;
  };
  const state = randomBytes(8).toString('hex');
  const auth = new URL(endpoints.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: dev.clientId, redirect_uri: `${PAGE}/staff`, response_type: 'code', scope: 'openid profile api', state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', prompt: 'login',
  }).toString();
  let res = await go(auth.href);
  assert.equal(res.status, 303);
  const interaction = res.headers.get('location')!;
  const page = await (await go(interaction)).text();
  res = await go(`${interaction}/login`, { method: 'POST', body: new URLSearchParams({ username, password }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  if (res.status !== 303) return { page, refused: await res.text(), status: res.status };
  for (let hops = 0; hops < 5; hops++) {
    const location = res.headers.get('location')!;
    if (location.startsWith(PAGE)) {
      const back = new URL(location);
      assert.equal(back.searchParams.get('state'), state);
      const token = await fetch(endpoints.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PAGE },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: `${PAGE}/staff`, client_id: dev.clientId, code_verifier: verifier }),
      });
      return { page, status: token.status, cors: token.headers.get('access-control-allow-origin'), tokens: await token.json() };
    }
    res = await go(location);
  }
  throw new Error('no redirect back to the page');
}

const identity = () => createIdentity({ issuer: dev.issuer, audience: dev.audience, rolesClaim: 'roles', doctorClaim: 'doctor_id', serviceToken: undefined });

describe('the development OpenID provider', () => {
  test('its sign-in page has Username, Password and a Sign in button', async () => {
    const { page } = await signIn('reception', 'wrong password');
    assert.match(page, /<label for="username">Username<\/label>/);
    assert.match(page, /<label for="password">Password<\/label>/);
    assert.match(page, /<button type="submit">Sign in<\/button>/);
  });

  test('a wrong password or an unknown user is refused on the page, with no code issued', async () => {
    for (const [user, password] of [['reception', 'nope'], ['root', PASSWORD], ['', PASSWORD]]) {
      const result = await signIn(user, password);
      assert.equal(result.status, 401, user);
      assert.match(result.refused!, /do not match/);
    }
  });

  test('each demo account gets a JWT access token for the API that the API accepts, with its role', async () => {
    const expected = { admin: { roles: ['admin'], doctorId: null }, reception: { roles: ['reception'], doctorId: null }, clinician: { roles: ['clinician'], doctorId: 1 } };
    for (const [username, want] of Object.entries(expected)) {
      const result = await signIn(username, PASSWORD);
      assert.equal(result.status, 200, JSON.stringify(result.tokens));
      assert.equal(result.cors, PAGE, 'the staff page may call the token endpoint from the browser');
      assert.equal(result.tokens.token_type, 'Bearer');
      const actor = await identity().authenticate(`Bearer ${result.tokens.access_token}`);
      assert.deepEqual({ roles: actor.roles, doctorId: actor.doctorId, sub: actor.sub }, { ...want, sub: username });
      if (username === 'clinician') assert.equal(actor.name, 'Dr Amelia Hart');
    }
  });

  test('PKCE is enforced: the wrong verifier gets no token', async () => {
    // signIn sends the verifier it was given; tamper with the one the token request sends.
    const verifier = randomBytes(32).toString('base64url');
    const original = globalThis.fetch;
    globalThis.fetch = ((input: any, init?: RequestInit) => {
      if (String(input) === endpoints.token_endpoint && init?.body instanceof URLSearchParams) init.body.set('code_verifier', randomBytes(32).toString('base64url'));
      return original(input, init);
    }) as typeof fetch;
    try {
      const result = await signIn('reception', PASSWORD, verifier);
      assert.equal(result.status, 400);
      assert.equal(result.tokens.error, 'invalid_grant');
    } finally {
      globalThis.fetch = original;
    }
    assert.deepEqual(endpoints.code_challenge_methods_supported, ['S256']);
  });
});

describe('never in production', () => {
  test('no function bundle contains oidc-provider or the dev provider', () => {
    const dist = join(__dirname, '..', '..', 'dist');
    const names = readdirSync(join(dist, 'functions'));
    assert.ok(names.length >= 5, 'the bundles were built');
    for (const name of names) {
      const meta = JSON.parse(readFileSync(join(dist, 'meta', `${name}.json`), 'utf8'));
      const inputs = Object.keys(meta.inputs);
      assert.ok(inputs.length > 0);
      assert.deepEqual(inputs.filter((p) => /oidc-provider|dev-oidc|koa/.test(p)), [], name);
      assert.ok(!readFileSync(join(dist, 'functions', name, 'index.js'), 'utf8').includes('oidc-provider'), name);
    }
  });
});
