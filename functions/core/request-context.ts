import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request being served, for everything that runs on its behalf (log lines, metrics), found
 * through AsyncLocalStorage so no function signature has to carry it.
 *
 * The request id is what lets an operator follow one patient's complaint through the logs
 * without the patient's data: the patient (or the clinic's support) quotes the `X-Request-Id`
 * their browser got, and every line written while serving that request carries it. When the
 * caller sent a W3C `traceparent`, its trace id is the request id, so the same id also finds
 * the request in the caller's tracing.
 */
export interface RequestContext {
  readonly requestId: string;
  /** The function that answered; `server` until a route of one function takes the request. */
  functionName: string;
  /** The route template (`/api/appointments/:reference`), never the path itself. */
  route: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** version-traceid-parentid-flags, lower-case hex; an all-zero trace or parent id is invalid. */
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The trace id of a valid `traceparent`, or undefined. Version ff is forbidden by the spec;
 * later versions may append fields, which are ignored as the spec asks.
 */
export function traceIdOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const future = value.length > 55 && value[55] === '-' && !value.startsWith('00-');
  const m = traceparentPattern.exec(future ? value.slice(0, 55) : value);
  if (!m || m[1] === 'ff') return undefined;
  if (/^0+$/.test(m[2]) || /^0+$/.test(m[3])) return undefined;
  return m[2];
}

/** A fresh id in the shape of a trace id (16 random bytes, hex), so it can start a trace too. */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Runs `serve` as the request's context: gives the request its id, answers it in
 * `X-Request-Id` (and echoes a valid `traceparent`), and makes it visible to `currentRequest()`
 * in everything `serve` starts, including what it awaits.
 */
export function withRequestContext<T>(req: IncomingMessage, res: ServerResponse, functionName: string, route: string, serve: () => T): T {
  const incoming = req.headers.traceparent;
  const traceId = traceIdOf(incoming);
  const context: RequestContext = { requestId: traceId ?? newRequestId(), functionName, route };
  res.setHeader('X-Request-Id', context.requestId);
  if (traceId) res.setHeader('traceparent', (incoming as string).trim());
  return storage.run(context, serve);
}

/** The request being served, or undefined outside one (start-up, timers, the relay's own runs). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** Says which function and route template answer the current request, for its metrics. */
export function nameRoute(functionName: string, route: string): void {
  const context = storage.getStore();
  if (!context) return;
  context.functionName = functionName;
  context.route = route;
}
