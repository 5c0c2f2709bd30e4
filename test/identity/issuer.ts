import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A real OpenID issuer, as far as a resource server sees one: discovery and a JWKS over HTTP
 * on loopback, and tokens signed with a key pair made by jose. Counts JWKS fetches, so a
 * test can see the key set being cached and refetched.
 */
export interface TestIssuer {
  url: string;
  audience: string;
  kid: string;
  privateKey: CryptoKey;
  /** The public key as PEM (SPKI): what an HS256 forgery would use as its secret. */
  publicPem: string;
  jwksFetches: number;
  /** A valid RS256 access token for `claims` (merged over sub, iss, aud, iat, exp). */
  token(claims?: JWTPayload, options?: { kid?: string; key?: CryptoKey; alg?: string }): Promise<string>;
  /** Adds a key to the published set (key rotation). */
  publish(kid: string, key: CryptoKey, alg?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startIssuer(audience = 'clinic-api'): Promise<TestIssuer> {
  const kid = 'test-key-1';
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const keys = [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }];
  let url = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks`, authorization_endpoint: `${url}/auth`, token_endpoint: `${url}/token` }));
    }
    if (req.url === '/jwks') {
      issuer.jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ keys }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const issuer: TestIssuer = {
    url,
    audience,
    kid,
    privateKey,
    publicPem: await exportSPKI(publicKey),
    jwksFetches: 0,
    async token(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub: 'staff-1', iss: url, aud: audience, iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? kid, typ: 'at+jwt' })
        .sign(options.key ?? privateKey);
    },
    async publish(newKid, key, alg = 'RS256') {
      keys.push({ ...(await exportJWK(key)), kid: newKid, alg, use: 'sig' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return issuer;
}
