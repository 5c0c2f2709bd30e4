import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import type { GenericSchema, InferOutput } from 'valibot';
import { config } from './config';
import { DomainError, type ErrorCode, type FieldIssue } from './errors';
import { describeError, log } from './log';
import { parseOr400 } from './schemas/common';

/** API.md: bodies over 16 KiB are refused with 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;

type Method = 'GET' | 'POST' | 'DELETE';

export interface RouteContext {
  req: Request;
  res: Response;
  params: Record<string, string>;
}

export interface Route {
  method: Method;
  /** Express-like pattern: `/api/doctors/:id/slots`. */
  path: string;
  pattern: RegExp;
  run: (ctx: RouteContext) => Promise<void>;
}

export function route(method: Method, path: string, run: Route['run']): Route {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/:([a-z_]+)/gi, '/(?<$1>[^/]+)');
  return { method, path, pattern: new RegExp(`^${source}/?$`), run };
}

/** The routes whose path matches, whatever their method. */
export function routesForPath(routes: readonly Route[], path: string): Array<{ route: Route; params: Record<string, string> }> {
  const found = [];
  for (const r of routes) {
    const match = r.pattern.exec(path);
    if (match) found.push({ route: r, params: { ...match.groups } });
  }
  return found;
}

const jsonHeaders = {
  'Content-Type': 'application/json; charset=utf-8',
  // Appointment data and availability are personal or fast-changing: never cached on the way.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** Sends JSON: a string is sent as is (PostgreSQL built it), anything else is serialised. */
export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...jsonHeaders, ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export function sendError(res: Response, status: number, code: ErrorCode, message: string, issues?: FieldIssue[], headers?: Record<string, string>): void {
  if (res.headersSent) return void res.end();
  sendJson(res, status, issues?.length ? { error: code, message, issues } : { error: code, message }, headers);
}

/** The one place an exception becomes a response: a DomainError shows itself, anything else shows nothing. */
export function sendFailure(res: Response, err: unknown, where: string): void {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = err.code === 'request_in_progress' ? { 'Retry-After': '1' } : {};
    return sendError(res, err.status, err.code, err.message, err.issues, headers);
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

function isJson(req: Request): boolean {
  return /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/**
 * The JSON body, validated: 415 unless it is JSON, 413 over 16 KiB, 400 when it does not
 * fit the schema. (Bodies announced over the limit are refused before they are read, in
 * server.ts; this catches chunked ones.)
 */
export function parseJsonBody<S extends GenericSchema>(req: Request, schema: S, what: string): InferOutput<S> {
  if (!isJson(req)) throw new DomainError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  if ((req.rawBody?.length ?? 0) > BODY_LIMIT_BYTES) throw new DomainError('payload_too_large', 'The body is larger than 16 KiB.');
  return parseOr400(schema, req.body, what);
}

/** Query parameters as single strings; a repeated or nested parameter is a 400. */
export function queryParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (typeof value !== 'string') {
      throw new DomainError('invalid_request', 'The query is not valid.', [{ path: name, message: 'must be given once' }]);
    }
    out[name] = value;
  }
  return out;
}

export interface HandlerOptions {
  /** Where errors are logged from; the function's name. */
  name: string;
  /** API functions answer CORS; the page does not need to. */
  cors?: boolean;
}

/**
 * Turns a route table into a Functions Framework HTTP function: routing, preflight, 404/405,
 * and the error envelope. Handlers stay thin; the domain never sees req or res.
 */
export function handle(routes: readonly Route[], options: HandlerOptions): HttpFunction {
  const cors = options.cors ?? true;
  return async (req, res) => {
    try {
      const corsAllowed = cors && applyCors(req, res);
      const matches = routesForPath(routes, req.path);
      if (matches.length === 0) throw new DomainError('not_found', 'There is nothing at this path.');
      const methods = [...new Set(matches.map((m) => m.route.method))];
      if (req.method === 'OPTIONS') {
        if (corsAllowed) {
          res.setHeader('Access-Control-Allow-Methods', methods.join(', '));
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, Idempotency-Key');
          res.setHeader('Access-Control-Max-Age', '600');
        }
        res.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
        return void res.status(204).end();
      }
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const match = matches.find((m) => m.route.method === method);
      if (!match) {
        res.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
        throw new DomainError('invalid_request', `${req.method} is not allowed here; use ${methods.join(' or ')}.`, undefined, 405);
      }
      await match.route.run({ req, res, params: match.params });
    } catch (err) {
      sendFailure(res, err, options.name);
    }
  };
}
