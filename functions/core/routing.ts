import type { Request, Response } from '@google-cloud/functions-framework';
import type { GenericSchema } from 'valibot';
import { DomainError } from './errors';
import { parseOr400 } from './schemas/common';

export type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

export interface RouteContext {
  req: Request;
  res: Response;
  params: Record<string, string>;
  /** The query, parsed by the route's schema (empty for a route that takes none). */
  query: Record<string, unknown>;
}

export interface RouteOptions {
  /**
   * The query parameters it takes, as a valibot schema; `'ignored'` for pages, whose links may
   * carry tracking parameters. Without it the route takes none, and any parameter is a 400.
   */
  query?: GenericSchema | 'ignored';
  /**
   * Served by its own function only, never by the one-process server: the outbox relay's
   * PingSource path, which `npm start` runs on a timer instead.
   */
  internal?: boolean;
}

export interface Route extends RouteOptions {
  method: Method;
  /** Express-like pattern: `/api/doctors/:id/slots`. */
  path: string;
  pattern: RegExp;
  run: (ctx: RouteContext) => Promise<void>;
}

export function route(method: Method, path: string, run: Route['run'], options: RouteOptions = {}): Route {
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/:([a-z_]+)/gi, '/(?<$1>[^/]+)');
  return { method, path, pattern: new RegExp(`^${source}/?$`), run, ...options };
}

export type Resolution<R extends Route = Route> =
  | { kind: 'route'; route: R; params: Record<string, string> }
  | { kind: 'options'; methods: Method[] }
  | { kind: 'wrong_method'; methods: Method[] }
  | { kind: 'not_found' };

/**
 * The one route resolver, for a function's own handler and for the one-process server alike,
 * so both answer 404, 405, OPTIONS and `Allow` the same way. HEAD is answered as GET.
 */
export function resolveRoute<R extends Route>(routes: readonly R[], method: string | undefined, path: string): Resolution<R> {
  const wanted = method === 'HEAD' ? 'GET' : method;
  let methods: Method[] | undefined;
  for (const r of routes) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    if (r.method === wanted) return { kind: 'route', route: r, params: { ...match.groups } };
    methods ??= [];
    if (!methods.includes(r.method)) methods.push(r.method);
  }
  if (!methods) return { kind: 'not_found' };
  return { kind: method === 'OPTIONS' ? 'options' : 'wrong_method', methods };
}

/** The `Allow` header for a path: its methods, and OPTIONS. */
export function allowHeader(methods: readonly Method[]): string {
  return [...methods, 'OPTIONS'].join(', ');
}

export function methodNotAllowed(method: string | undefined, methods: readonly Method[]): DomainError {
  return new DomainError('invalid_request', `${method} is not allowed here; use ${methods.join(' or ')}.`, undefined, 405);
}

export const notFound = () => new DomainError('not_found', 'There is nothing at this path.');

/**
 * The query string, read from the raw URL: Express's parser drops `__proto__` and nests
 * `a[b]`, so a misspelt or hostile parameter would pass unseen. A repeated parameter, or one
 * the route does not take, is a 400.
 */
export function parseQuery(url: string | undefined, r: Route): Record<string, unknown> {
  if (r.query === 'ignored') return {};
  const at = url?.indexOf('?') ?? -1;
  const search = at < 0 ? '' : url!.slice(at + 1);
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(search)) {
    if (seen.has(name)) throw new DomainError('invalid_request', 'The query is not valid.', [{ path: name, message: 'must be given once' }]);
    seen.add(name);
    entries.push([name, value]);
  }
  if (r.query === undefined) {
    if (entries.length === 0) return {};
    throw new DomainError(
      'invalid_request',
      'This request takes no query parameters.',
      entries.map(([name]) => ({ path: name, message: 'is not a parameter of this request' })),
    );
  }
  // fromEntries defines own properties, so `__proto__` is a key like any other, and refused.
  return parseOr400(r.query, Object.fromEntries(entries), 'query') as Record<string, unknown>;
}
