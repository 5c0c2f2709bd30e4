import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionModule } from '../../functions/core/server';
import { assertMatchesContract } from './contract';

export interface RunningApp {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves functions in this process, as `npm start` does, against `databaseUrl`. Call once per
 * test file: configuration is read once per process, like in production.
 */
export async function startApp(databaseUrl: string, env: Record<string, string> = {}, pick?: (all: readonly FunctionModule[]) => FunctionModule[]): Promise<RunningApp> {
  Object.assign(process.env, { DATABASE_URL: databaseUrl, PORT: '0' }, env);
  const { allFunctions } = await import('../../functions/all');
  const { createServer } = await import('../../functions/core/server');
  const { closeDatabase } = await import('../../functions/core/db');
  const { runShutdownHooks } = await import('../../functions/core/shutdown');
  const server = createServer(pick ? pick(allFunctions) : allFunctions);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // As a stopping server does: the slot cache's LISTEN connection and the relay go first.
      await runShutdownHooks();
      await closeDatabase();
    },
  };
}

/**
 * fetch with a JSON body and the parsed JSON answer, which must be one api/openapi.yaml allows
 * (an AssertionError says where it is not). `contract: false` is only for a test that
 * deliberately calls outside the contract.
 */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; contract?: false } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const answer = { status: res.status, headers: res.headers, body: parsed as any, text };
  if (options.contract !== false) assertMatchesContract(method, path, answer);
  return answer;
}
