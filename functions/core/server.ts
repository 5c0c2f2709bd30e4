import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { config, requireDatabaseUrl } from './config';
import { closeDatabase } from './db';
import { BODY_LIMIT_BYTES, routesForPath, sendError, sendFailure, type Route } from './http';
import { describeError, log } from './log';
import { runShutdownHooks } from './shutdown';

/** What each `functions/<name>/index.ts` exports besides registering its handler. */
export interface FunctionModule {
  /** Kebab-case: the bundle's folder and the Knative Service's name. */
  name: string;
  /** The name it is registered under with the Functions Framework (FUNCTION_TARGET). */
  target: string;
  /** Paths it answers, for the one-process dispatcher; for an event consumer, only its probes. */
  routes: readonly Route[];
  /** How it is registered: `http(...)` (the default) or `cloudEvent(...)`. */
  signature?: 'http' | 'cloudevent';
  /** False for a function that never touches PostgreSQL (render-page): it starts without DATABASE_URL. */
  usesDatabase?: boolean;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type ExpressLike = Listener & { use(handler: (err: unknown, req: Request, res: Response, next: unknown) => void): void };

/**
 * The framework's body parser runs before a function and, on malformed JSON, would fall
 * through to Express's HTML error page. This puts those failures in the API's envelope.
 */
function bodyParserErrors(err: unknown, _req: Request, res: Response, _next: unknown): void {
  const type = (err as { type?: string })?.type;
  if (type === 'entity.parse.failed') return sendError(res, 400, 'invalid_request', 'The body is not valid JSON.');
  if (type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'The body is larger than 16 KiB.');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return sendError(res, 415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.');
  }
  log.error('request failed before the function ran', describeError(err));
  sendError(res, 500, 'internal', 'Something went wrong on our side. Please try again.');
}

/**
 * The Functions Framework's own server for one registered function (its `testing` export is
 * the public way to get it without its CLI, whose SIGTERM handling exits at once).
 */
function frameworkApp(target: string): Listener {
  const app = getTestServer(target).listeners('request')[0] as ExpressLike;
  app.use(bodyParserErrors);
  return app;
}

/**
 * The framework routes only POST to a cloudEvent function, and its event middleware fails on a
 * bodiless GET; Knative probes GET /healthz. So a consumer's GET routes (its probes) are
 * answered here, before the request reaches the framework; everything else goes on to it.
 */
function withProbes(fn: FunctionModule, app: Listener): Listener {
  if (fn.signature !== 'cloudevent') return app;
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const match = routesForPath(fn.routes, path).find((m) => m.route.method === 'GET');
      if (match) {
        match.route.run({ req: req as Request, res: res as Response, params: match.params }).catch((err) => sendFailure(res as Response, err, fn.name));
        return;
      }
    }
    app(req, res);
  };
}

function announcedTooLarge(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > BODY_LIMIT_BYTES;
}

function refuseTooLarge(res: ServerResponse): void {
  // The body is never read, so the connection cannot be reused.
  res.setHeader('Connection', 'close');
  sendError(res as Response, 413, 'payload_too_large', 'The body is larger than 16 KiB.');
}

/**
 * An HTTP server for one or more functions. With one function (a Knative instance) every
 * request goes to it; with several (`npm start`) each request goes to the function that
 * owns its method and path, as API.md lays them out.
 */
export function createServer(functions: readonly FunctionModule[]): Server {
  const apps = new Map(functions.map((fn) => [fn.target, withProbes(fn, frameworkApp(fn.target))]));
  const only = functions.length === 1 ? apps.get(functions[0].target) : undefined;
  const table = functions.flatMap((fn) => fn.routes.map((route) => ({ route, target: fn.target })));

  return createHttpServer((req, res) => {
    if (announcedTooLarge(req)) return refuseTooLarge(res);
    if (only) return only(req, res);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const candidates = table.filter((entry) => entry.route.pattern.test(path));
    const wanted = req.method === 'OPTIONS' ? req.headers['access-control-request-method'] ?? 'GET' : req.method === 'HEAD' ? 'GET' : req.method;
    if (candidates.length === 0) return sendError(res as Response, 404, 'not_found', 'There is nothing at this path.');
    const owner = candidates.find((c) => c.route.method === wanted);
    if (owner) return apps.get(owner.target)!(req, res);
    if (req.method === 'OPTIONS') return apps.get(candidates[0].target)!(req, res);
    // Several functions share a path (GET and POST /api/appointments): the 405 names them all.
    const methods = [...new Set(candidates.map((c) => c.route.method))];
    res.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
    sendError(res as Response, 405, 'invalid_request', `${req.method} is not allowed here; use ${methods.join(' or ')}.`);
  });
}

/**
 * Stops like a good Knative citizen: on SIGTERM stop accepting, let in-flight requests
 * finish (answering them with `Connection: close`), close the pool, then exit. Knative's
 * queue-proxy has drained new traffic away before the container gets SIGTERM.
 */
export function stopGracefully(server: Server, cleanup: () => Promise<void>, graceMs = 25_000): void {
  let stopping = false;
  let forced = false;
  // Responses still being worked on: at SIGTERM each one not yet answered is told to close
  // its connection, so a keep-alive client does not send its next request into a closing server.
  const inFlight = new Set<ServerResponse>();
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, in_flight: inFlight.size });
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const force = setTimeout(() => {
      forced = true;
      log.warn('in-flight requests did not finish in time', { graceMs, in_flight: inFlight.size });
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(async () => {
      try {
        await cleanup();
      } catch (err) {
        log.error('cleanup failed', describeError(err));
      }
      log.info('stopped');
      process.exit(forced ? 1 : 0);
    });
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Entry of a function's bundle: serve it alone on PORT, as one Knative instance. */
export function serveFunction(fn: FunctionModule): Server {
  const target = process.env.FUNCTION_TARGET;
  if (target && target !== fn.target) {
    throw new Error(`FUNCTION_TARGET is "${target}" but this bundle holds "${fn.target}".`);
  }
  const { port } = config();
  // Fail at start, not on the first request, when a database function has no database.
  if (fn.usesDatabase !== false) requireDatabaseUrl();
  const server = createServer([fn]);
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => {
    log.info('serving', { function: fn.name, port: (server.address() as AddressInfo).port });
  });
  stopGracefully(server, async () => {
    // An event relay kicked by the last requests finishes before its pool closes.
    await runShutdownHooks();
    await closeDatabase();
  });
  return server;
}
