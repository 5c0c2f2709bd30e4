import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * The development OpenID provider `npm start` runs when OIDC_ISSUER is unset, so staff sign-in
 * works with one command. It is the `oidc-provider` package (a certified implementation), on
 * its own loopback port rather than under the app's server: the functions' router then needs
 * to know nothing about it, and it is plainly a separate issuer, as a real one would be.
 * Only scripts/start.ts imports this file; no function bundle or image contains it
 * (test/identity/dev-oidc.test.ts checks the bundles).
 *
 * Accounts `admin`, `reception` and `clinician` (Dr Amelia Hart, doctor 1 of db/seed/demo.sql)
 * share one password: DEMO_STAFF_PASSWORD, or one generated at each start. Keys, cookie
 * secrets and sessions live in memory and die with the process.
 */

export const DEV_AUDIENCE = 'urn:clinic-booking:api';
export const DEV_CLIENT_ID = 'clinic-staff';
/** What the staff page asks for: `api` is the API's scope, so the access token is for the API. */
export const DEV_SCOPE = 'openid profile api';

interface DemoAccount {
  name: string;
  roles: string[];
  doctorId?: number;
}

export interface DevOidcOptions {
  /** Origins of the staff page; each gets `<origin>/staff` as a redirect URI. */
  pageOrigins: string[];
  password?: string;
  /** Listen port; 0 (the default) picks a free one. */
  port?: number;
  /** The clinician's doctor; 1 in the demo clinic. */
  clinicianDoctorId?: number;
  /** Seconds an access token lives. */
  accessTokenTtl?: number;
}

export interface DevOidc {
  issuer: string;
  audience: string;
  clientId: string;
  password: string;
  /** Whether the password was generated (and so must be shown to whoever started this). */
  generatedPassword: boolean;
  close(): Promise<void>;
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid: string, clientName: string, error?: string, username = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Clinic staff (development)</title><link rel="icon" href="data:,">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; display: grid; place-items: center; min-height: 100vh; margin: 0; background: #f4f6f8; color: #1b1f24; }
  main { background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; width: min(22rem, 90vw); }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #8a939c; border-radius: 4px; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font: inherit; font-weight: 600; background: #0b5cad; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  [role=alert] { color: #a40e26; margin: 1rem 0 0; }
  p.note { color: #4b5560; font-size: .875rem; }
</style></head>
<body><main>
  <h1>Sign in</h1>
  <p class="note">${html(clientName)}: development sign-in. Accounts: admin, reception, clinician.</p>
  <form method="post" action="/interaction/${html(uid)}/login">
    <label for="username">Username</label>
    <input id="username" name="username" autocomplete="username" required autofocus value="${html(username)}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    ${error ? `<p role="alert">${html(error)}</p>` : ''}
    <button type="submit">Sign in</button>
  </form>
</main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4096) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Starts the provider on 127.0.0.1 and resolves once it listens. */
export async function startDevOidc(options: DevOidcOptions): Promise<DevOidc> {
  const { default: Provider, errors } = await import('oidc-provider');
  const generatedPassword = !options.password;
  const password = options.password || randomBytes(12).toString('base64url');
  const accounts: Record<string, DemoAccount> = {
    admin: { name: 'Clinic Administrator', roles: ['admin'] },
    reception: { name: 'Front Desk', roles: ['reception'] },
    clinician: { name: 'Dr Amelia Hart', roles: ['clinician'], doctorId: options.clinicianDoctorId ?? 1 },
  };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `dev-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const redirectUris = options.pageOrigins.map((origin) => `${origin}/staff`);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        client_name: 'Clinic staff page',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    // Only the authorization code flow, and PKCE for it (the default for a public client).
    responseTypes: ['code'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: any, form: string) => {
          ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title><link rel="icon" href="data:,"></head><body><main><h1>Sign out of the clinic?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout" autofocus>Sign out</button></main></body></html>`;
        },
        postLogoutSuccessSource: async (ctx: any) => {
          ctx.body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title><link rel="icon" href="data:,"></head><body><main><h1>Signed out</h1></main></body></html>';
        },
      },
      resourceIndicators: {
        enabled: true,
        // A staff page that names no resource gets tokens for the API all the same.
        defaultResource: async () => DEV_AUDIENCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== DEV_AUDIENCE) throw new errors.InvalidTarget();
          return { scope: 'api', audience: DEV_AUDIENCE, accessTokenTTL: options.accessTokenTtl ?? 3600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    clientBasedCORS: (_ctx: unknown, origin: string) => options.pageOrigins.includes(origin),
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: account.name, preferred_username: sub }) };
    },
    // The roles and the doctor travel in the access token, where the API reads them.
    extraTokenClaims: async (_ctx: unknown, token: { kind: string; accountId?: string }) => {
      const account = token.kind === 'AccessToken' && token.accountId ? accounts[token.accountId] : undefined;
      if (!account) return undefined;
      return { roles: account.roles, name: account.name, preferred_username: token.accountId, ...(account.doctorId ? { doctor_id: account.doctorId } : {}) };
    },
    // A first-party client: no consent screen; the grant covers the profile and the API.
    loadExistingGrant: async (ctx: any) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(DEV_AUDIENCE, 'api');
      await grant.save();
      return grant;
    },
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: options.accessTokenTtl ?? 3600, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600, AuthorizationCode: 60 },
    renderError: async (ctx: any, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Sign-in error</title><h1>Sign-in error</h1><p>${html(out.error ?? 'error')}: ${html(out.error_description ?? '')}</p>`;
    },
  });
  const oidcCallback = provider.callback();

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self' ${options.pageOrigins.join(' ')}; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, '<p>This sign-in has expired; start again from the staff page.</p>');
    if (req.method === 'POST' && action === 'login') {
      const form = await formBody(req);
      const username = (form.get('username') ?? '').trim();
      const ok = Object.hasOwn(accounts, username) && timingSafeEqual(digest(form.get('password') ?? ''), digest(password));
      if (!ok) return send(res, 401, signInPage(uid, 'Clinic staff page', 'That username and password do not match.', username));
      return void (await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false }));
    }
    if (req.method === 'GET' && !action) return send(res, 200, signInPage(uid, 'Clinic staff page'));
    send(res, 405, '<p>Not here.</p>');
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(\w+))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match) return oidcCallback(req, res);
    interaction(req, res, match[1], match[2]).catch(() => {
      if (!res.headersSent) send(res, 400, '<p>This sign-in has expired or is not valid; start again from the staff page.</p>');
      else res.end();
    });
  });
  // The app's server keeps the process alive; this one must not hold it open at shutdown.
  server.unref();

  return {
    issuer,
    audience: DEV_AUDIENCE,
    clientId: DEV_CLIENT_ID,
    password,
    generatedPassword,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * scripts/start.ts's hook: without OIDC_ISSUER, starts the development provider and points
 * the functions' configuration (OIDC_ISSUER, OIDC_AUDIENCE, OIDC_CLIENT_ID, OIDC_SCOPE) at it.
 */
export async function startDevOidcUnlessConfigured(env: NodeJS.ProcessEnv, say: (message: string, fields?: Record<string, unknown>) => void): Promise<DevOidc | undefined> {
  if (env.OIDC_ISSUER) return undefined;
  const port = Number(env.PORT || 8080);
  const dev = await startDevOidc({
    pageOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    password: env.DEMO_STAFF_PASSWORD || undefined,
    port: Number(env.DEV_OIDC_PORT || 0),
  });
  Object.assign(env, { OIDC_ISSUER: dev.issuer, OIDC_AUDIENCE: dev.audience, OIDC_CLIENT_ID: dev.clientId, OIDC_SCOPE: DEV_SCOPE });
  say('development sign-in (OIDC_ISSUER is not set)', { issuer: dev.issuer, accounts: 'admin, reception, clinician' });
  if (dev.generatedPassword) {
    // Printed once, on the terminal of whoever ran npm start; never logged as a field elsewhere.
    console.log(`\n  Staff sign-in: admin, reception or clinician, password ${dev.password}\n  (set DEMO_STAFF_PASSWORD to choose it)\n`);
  }
  return dev;
}
