import { ApiError, type FieldIssue } from '../api';

export interface SignedInRequest {
  /** The signed-in person's access token, read at each request (it may have ended: then 401 without a call). */
  token: string | undefined;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs: number;
  /** How the page names the service in a sentence: "the booking service", "the schedule service". */
  service: string;
  headers?: Record<string, string>;
}

/**
 * One staff call with the bearer token: never with cookies or the HTTP cache, given up after
 * `timeoutMs`, and every failure an ApiError in the API's envelope (status 0 `unreachable` when
 * nothing answered; a success without a JSON body counts as a failed server).
 */
export async function signedInFetch<T>(request: SignedInRequest): Promise<T> {
  const { token, method, url, body, signal, timeoutMs, service } = request;
  if (!token) throw new ApiError(401, 'unauthorized', 'Your sign-in has ended. Sign in again.');
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const abort = () => timeout.abort();
  signal?.addEventListener('abort', abort, { once: true });
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}`, ...request.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: timeout.signal, credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    if (signal?.aborted) throw err;
    const late = (err as { name?: string })?.name === 'AbortError';
    throw new ApiError(0, 'unreachable', late ? `The ${service} did not answer in time.` : `The ${service} could not be reached.`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  const answer: unknown = await res.json().catch(() => undefined);
  if (res.ok && answer !== undefined) return answer as T;
  const status = res.ok ? 502 : res.status;
  const envelope = (answer ?? {}) as { error?: unknown; message?: unknown; issues?: unknown };
  const code = typeof envelope.error === 'string' ? envelope.error : status >= 500 ? 'internal' : 'unexpected';
  const message = typeof envelope.message === 'string' ? envelope.message : `The ${service} answered ${res.status}.`;
  const issues = Array.isArray(envelope.issues) ? (envelope.issues as FieldIssue[]) : [];
  const retryAfter = Number(res.headers.get('Retry-After'));
  throw new ApiError(status, code, message, issues, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}
