import { cloudEvent, http, type CloudEventFunction, type HttpFunction } from '@google-cloud/functions-framework';
import { openApiFor } from './contract';
import { handle, route, sendJson, type Route } from './http';
import { metricsRoute } from './metrics';

/** What each `functions/<name>/index.ts` exports besides registering its handler. */
export interface FunctionModule {
  /** Kebab-case: the bundle's folder and the Knative Service's name. */
  name: string;
  /** The name it is registered under with the Functions Framework (FUNCTION_TARGET): `name` in camelCase. */
  target: string;
  /** Paths it answers, for the one-process dispatcher; for an event consumer, only its probes. */
  routes: readonly Route[];
  /** How it is registered: `http(...)` (the default) or `cloudEvent(...)`. */
  signature?: 'http' | 'cloudevent';
  /** False for a function that never touches PostgreSQL (render-page): it starts without DATABASE_URL. */
  usesDatabase?: boolean;
  /**
   * The HTTP function registered with the Functions Framework, which our server (server.ts)
   * calls directly; absent for an event consumer.
   */
  handler?: HttpFunction;
}

/** The Functions Framework target of a function: its kebab-case name in camelCase (`create-booking` → `createBooking`). */
export function targetOf(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * GET /openapi.json: the contract (api/openapi.yaml) restricted to `routes`' paths, so each
 * function describes what it answers; the text is made once.
 */
export function contractRoute(routes: readonly Route[]): Route {
  let text: string | undefined;
  const paths = [...new Set([...routes.map((r) => r.path), '/openapi.json'])];
  return route('GET', '/openapi.json', async ({ res }) => {
    text ??= JSON.stringify(openApiFor(paths));
    sendJson(res, 200, text);
  });
}

/**
 * GET /livez, every function's liveness probe: the process runs and serves HTTP. It never
 * touches the database, so a database outage restarts no pod (readiness, /healthz, says it).
 */
export const livezRoute = route('GET', '/livez', async ({ res }) => {
  sendJson(res, 200, { ok: true });
});

/** Every function also answers its liveness probe, serves its process's Prometheus metrics (metrics.ts) and describes itself. */
const withContract = (routes: readonly Route[]): Route[] => {
  const all = [...routes, livezRoute, metricsRoute];
  return [...all, contractRoute(all)];
};

export interface HttpFunctionOptions {
  /** API functions answer CORS (the default); the page and the internal relay do not need to. */
  cors?: boolean;
  usesDatabase?: boolean;
}

/**
 * Registers an HTTP function with the Functions Framework under the target its name derives,
 * and describes it for the bundle entry and the one-process server: the one place that keeps
 * a function's name, target and routes together.
 */
export function defineHttpFunction(name: string, routes: readonly Route[], options: HttpFunctionOptions = {}): FunctionModule {
  const all = withContract(routes);
  const handler = handle(all, { name, cors: options.cors });
  http(targetOf(name), handler);
  return { name, target: targetOf(name), routes: all, usesDatabase: options.usesDatabase, handler };
}

/**
 * Registers a CloudEvents consumer. The framework routes only POST to it, so its `probes`
 * (GET /healthz) are answered by server.ts before a request reaches the framework.
 */
export function defineEventFunction<T>(name: string, consume: CloudEventFunction<T>, probes: readonly Route[]): FunctionModule {
  const fn: FunctionModule = { name, target: targetOf(name), routes: withContract(probes), signature: 'cloudevent' };
  cloudEvent<T>(fn.target, consume);
  return fn;
}
