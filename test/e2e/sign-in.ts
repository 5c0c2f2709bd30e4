import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { freePort } from '../../scripts/lib/ports';
import { DEV_SCOPE, startDevOidc, type DevOidc } from '../../scripts/lib/dev-oidc';
import type { RunningApp } from '../helpers/app';

/**
 * The app as `npm start` runs it for staff: every function in this process, signed in through
 * the real development OpenID provider. The app's port is chosen first, because the provider
 * registers the staff page's address as its client's redirect URI.
 */
export async function startAppWithSignIn(databaseUrl: string, options: { password: string; clinicianDoctorId: number; env?: Record<string, string> }): Promise<{ app: RunningApp; oidc: DevOidc }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const oidc = await startDevOidc({ pageOrigins: [origin], password: options.password, clinicianDoctorId: options.clinicianDoctorId });
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    OIDC_ISSUER: oidc.issuer,
    OIDC_AUDIENCE: oidc.audience,
    OIDC_CLIENT_ID: oidc.clientId,
    OIDC_SCOPE: DEV_SCOPE,
    ...options.env,
  });
  const { allFunctions } = await import('../../functions/all');
  const { createServer } = await import('../../functions/core/server');
  const { closeDatabase } = await import('../../functions/core/db');
  const server = createServer(allFunctions);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const app: RunningApp = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDatabase();
      await oidc.close();
    },
  };
  return { app, oidc };
}

/**
 * Signs in on /staff as a person would: "Sign in", the provider's Username and Password,
 * "Sign in" again, and back on the staff page until it says who is signed in. Returns how
 * long that took, from the first click to the name on the page.
 */
export async function signInAs(page: Page, appUrl: string, username: string, password: string): Promise<number> {
  if (!page.url().startsWith(`${appUrl}/staff`)) await page.goto(`${appUrl}/staff`);
  const table = page.locator('appointments-table');
  const began = performance.now();
  await table.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await table.locator('#signed-in-as').waitFor();
  return performance.now() - began;
}
