import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { readBody } from './body';
import { config, requireDatabaseUrl } from './config';
import { closeDatabase } from './db';
import { contractRoute, type FunctionModule } from './function';
import { answerOptions, answerWrongMethod, runRoute, sendError, sendFailure } from './http';
import { describeError, log } from './log';
import { timeRequest } from './metrics';
import { nameRoute, withRequestContext } from './request-context';
import { notFound, resolveRoute, type Route } from './routing';
import { runShutdownHooks } from './shutdown';

export type { FunctionModule } from './function';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
type ExpressLike = Listener & { use(handler: (err: unknown, req: Request, res: Response, next: unknown) => void): void };

/** A CloudEvent may be larger than an API body; the Broker never sends more than this. */
const EVENT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * The body is read before the framework's parsers (body.ts), which then skip it; this is what
 * is left for them to fail on, put in the API's envelope instead of Express's HTML page.
 */
function frameworkErrors(err: unknown, _req: Request, res: Response, _next: unknown): void {
  log.error('request failed before the function ran', describeError(err));
  sendError(res, 500, 'internal', 'Something went wrong on our side. Please try again.');
}

/**
 * The Functions Framework's own server for one registered function (its `testing` export is
 * the public way to get it without its CLI, whose SIGTERM handling exits at once).
 */
function frameworkApp(target: string): Listener {
  const app = getTestServer(target).listeners('request')[0] as ExpressLike;
  app.use(frameworkErrors);
  return app;
}

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').pathname;

/**
 * An HTTP function called as the Functions Framework would call it, without its Express app:
 * per request, Express's router, five body parsers (which skip a body already read), the
 * execution-context and timeout middleware and the node:domain it wraps each call in cost a
 * fifth of a booking's server CPU (issue 15), and our handler (http.ts) uses none of them. It
 * reads one Express property, `req.path`, which is set here. The function is still registered
 * with the framework (function.ts), so the framework's own server or CLI serves it unchanged.
 */
function directApp(fn: FunctionModule, frameworkFallback: () => Listener): Listener {
  const handler = fn.handler;
  if (!handler) return frameworkFallback();
  return (req, res) => {
    // As Express has it: the URL's path as sent, not normalised (`/assets/%2e%2e` stays itself).
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    Object.assign(req, { path: query < 0 ? url : url.slice(0, query) });
    Promise.resolve(handler(req as Request, res as Response)).catch((err: unknown) => sendFailure(res as Response, err, fn.name));
  };
}

/**
 * The framework routes only POST to a cloudEvent function, and its event middleware fails on a
 * bodiless GET; Knative probes GET /healthz. So a consumer's GET routes (its probes) are
 * answered here; events go on to the framework with the body this server read for it.
 */
function eventApp(fn: FunctionModule, app: Listener): Listener {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      const found = resolveRoute(fn.routes, 'GET', pathOf(req));
      if (found.kind === 'route') return void runRoute(found.route, found.params, req as Request, res as Response, fn.name);
    }
    // The framework takes an event on any path: its metrics say what it is, not where it came.
    nameRoute(fn.name, 'cloudevent');
    app(req, res);
  };
}

/** What the framework's parsers would have left on the request of an event: the JSON, or the text. */
function giveEventBody(req: IncomingMessage, bytes: Buffer): void {
  const type = req.headers['content-type'] ?? '';
  const text = bytes.toString('utf8');
  let body: unknown = text;
  if (/json/i.test(type)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  Object.assign(req, { body, rawBody: bytes });
}

type OwnedRoute = Route & { owner: Listener };

/**
 * An HTTP server for one or more functions. With one function (a Knative instance) every
 * request goes to it; with several (`npm start`) each request goes to the function that
 * owns its method and path, and 404, 405 and OPTIONS are answered over all of them, by the
 * same resolver a function uses alone. Internal routes are served only by their own function.
 */
export function createServer(functions: readonly FunctionModule[]): Server {
  const apps = new Map(
    functions.map((fn) => [fn.target, fn.signature === 'cloudevent' ? eventApp(fn, frameworkApp(fn.target)) : directApp(fn, () => frameworkApp(fn.target))]),
  );
  const only = functions.length === 1 ? functions[0] : undefined;
  const table: OwnedRoute[] = functions.flatMap((fn) => fn.routes.filter((r) => !r.internal).map((r) => ({ ...r, owner: apps.get(fn.target)! })));
  // One process answers for all its functions: its /openapi.json describes every path it serves.
  const contract = contractRoute(table);
  const bodyLimit = only?.signature === 'cloudevent' ? EVENT_BODY_LIMIT_BYTES : undefined;

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req, bodyLimit);
    if (body.kind === 'aborted') return log.info('client went away before its request was read', { method: req.method });
    if (body.kind === 'refused') {
      if (body.closeConnection) res.setHeader('Connection', 'close');
      return sendFailure(res as Response, body.error, 'body');
    }
    if (only) {
      if (only.signature === 'cloudevent' && body.kind === 'read') giveEventBody(req, body.bytes);
      return apps.get(only.target)!(req, res);
    }
    const path = pathOf(req);
    if (path === contract.path && (req.method === 'GET' || req.method === 'HEAD')) return runRoute(contract, {}, req as Request, res as Response, 'contract');
    const found = resolveRoute(table, req.method, path);
    if (found.kind === 'route') return found.route.owner(req, res);
    if (found.kind === 'options') return answerOptions(req as Request, res as Response, found.methods, true);
    if (found.kind === 'wrong_method') return answerWrongMethod(req as Request, res as Response, found.methods);
    sendFailure(res as Response, notFound(), 'routing');
  };
  return createHttpServer((req, res) => {
    // Until a route names them (runRoute), a request is the server's own and `unmatched`.
    withRequestContext(req, res, only?.name ?? 'server', 'unmatched', () => {
      timeRequest(req.method, res);
      serve(req, res).catch((err) => sendFailure(res as Response, err, 'server'));
    });
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
  const { port, host, functionTarget: target } = config();
  if (target && target !== fn.target) {
    throw new Error(`FUNCTION_TARGET is "${target}" but this bundle holds "${fn.target}".`);
  }
  // Fail at start, not on the first request, when a database function has no database.
  if (fn.usesDatabase !== false) requireDatabaseUrl();
  const server = createServer([fn]);
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    log.info('serving', { function: fn.name, port: (server.address() as AddressInfo).port });
  });
  stopGracefully(server, async () => {
    // An event relay kicked by the last requests finishes before its pool closes.
    await runShutdownHooks();
    await closeDatabase();
  });
  return server;
}
