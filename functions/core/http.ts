import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { GenericSchema, InferOutput } from 'valibot';
import { jsonBody } from './body';
import { config } from './config';
import { noteUnavailable, RETRY_AFTER_SECONDS, unavailable, unavailableReason } from './db/health';
import { DomainError, type ErrorCode, type FieldIssue } from './errors';
import { describeError, log } from './log';
import { nameRoute } from './request-context';
import { allowHeader, methodNotAllowed, notFound, parseQuery, resolveRoute, type Method, type Route } from './routing';
import { parseOr400 } from './schemas/common';

export { route, type Route, type RouteContext } from './routing';
export { BODY_LIMIT_BYTES } from './body';

const jsonHeaders = {
  'Content-Type': 'application/json; charset=utf-8',
  // Appointment data and availability are personal or fast-changing: never cached on the way.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Sends JSON: a string is sent as is (PostgreSQL built it), anything else is serialised. With
 * its Content-Length the response is one write of head and body, not chunked (writeHead
 * fixes the head before end could count the body).
 */
export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  res.writeHead(status, { ...jsonHeaders, ...headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

export function sendError(res: Response, status: number, code: ErrorCode, message: string, issues?: FieldIssue[], headers?: Record<string, string>): void {
  if (res.headersSent) return void res.end();
  sendJson(res, status, issues?.length ? { error: code, message, issues } : { error: code, message }, headers);
}

/** The one place an exception becomes a response: a DomainError shows itself, anything else shows nothing. */
export function sendFailure(res: Response, err: unknown, where: string): void {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (err.code === 'request_in_progress') headers['Retry-After'] = '1';
    if (err.code === 'unavailable') headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
    return sendError(res, err.status, err.code, err.message, err.issues, headers);
  }
  // The database away or saturated is no bug of ours: the client is told to retry (503), and
  // readiness hears of it, so Knative sends traffic elsewhere until it recovers.
  const reason = unavailableReason(err);
  if (reason) {
    log.warn('database unavailable for a request', { where, reason, ...describeError(err) });
    noteUnavailable(reason);
    return sendFailure(res, unavailable(reason), where);
  }
  log.error('request failed', { where, ...describeError(err) });
  sendError(res, 500, 'internal', 'Something went wrong on our side. Please try again.');
}

/**
 * CORS for the API: only origins listed in ALLOWED_ORIGINS are echoed, never `*`.
 * Same-origin pages (npm start serves the page and the API together) need no entry.
 */
function applyCors(req: Request, res: Response): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (!origin || !config().allowedOrigins.has(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', 'Location, Retry-After, Idempotent-Replayed');
  return true;
}

/** The JSON body, validated: 415 unless it is UTF-8 JSON, 413 over 16 KiB, 400 when it does not fit the schema. */
export function parseJsonBody<S extends GenericSchema>(req: Request, schema: S, what: string): InferOutput<S> {
  return parseOr400(schema, jsonBody(req), what);
}

export interface HandlerOptions {
  /** Where errors are logged from; the function's name. */
  name: string;
  /** API functions answer CORS; the page does not need to. */
  cors?: boolean;
}

/** Answers OPTIONS for a path: `Allow` always, and the preflight headers for an allowed origin. */
export function answerOptions(req: Request, res: Response, methods: readonly Method[], cors: boolean): void {
  if (cors && applyCors(req, res)) {
    res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, Idempotency-Key, Booking-Challenge');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.setHeader('Allow', allowHeader(methods));
  res.writeHead(204).end();
}

/** Answers a path with no route for the method: 405 with `Allow`, in the envelope. */
export function answerWrongMethod(req: Request, res: Response, methods: readonly Method[]): void {
  res.setHeader('Allow', allowHeader(methods));
  sendFailure(res, methodNotAllowed(req.method, methods), 'routing');
}

/**
 * Runs a resolved route; any failure in the envelope. A route's query schema is applied when
 * the handler first reads `query`, so a staff route checks the caller before judging its filter.
 */
export async function runRoute(r: Route, params: Record<string, string>, req: Request, res: Response, where: string): Promise<void> {
  nameRoute(where, r.path);
  let query: Record<string, unknown> | undefined;
  try {
    // A route that takes no parameters refuses them at once; one that takes a schema, on first read.
    if (r.query === undefined) query = parseQuery(req.url, r);
    await r.run({
      req,
      res,
      params,
      get query() {
        return (query ??= parseQuery(req.url, r));
      },
    });
  } catch (err) {
    sendFailure(res, err, where);
  }
}

/**
 * Turns a route table into a Functions Framework HTTP function: routing, preflight, 404/405,
 * and the error envelope. Handlers stay thin; the domain never sees req or res.
 */
export function handle(routes: readonly Route[], options: HandlerOptions): HttpFunction {
  const cors = options.cors ?? true;
  return async (req, res) => {
    const found = resolveRoute(routes, req.method, req.path);
    if (found.kind === 'options') return answerOptions(req, res, found.methods, cors);
    if (cors) applyCors(req, res);
    if (found.kind === 'not_found') return sendFailure(res, notFound(), options.name);
    if (found.kind === 'wrong_method') return answerWrongMethod(req, res, found.methods);
    await runRoute(found.route, found.params, req, res, options.name);
  };
}
