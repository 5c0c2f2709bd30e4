import type { IncomingMessage } from 'node:http';
import { DomainError } from './errors';

/** The contract's limit: a body over 16 KiB is refused with 413, counted in the bytes received. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * What became of a request's body. It is read here, before the Functions Framework sees the
 * request, because the framework's body-parser inflates gzip before its own 1 GB limit (a
 * 300 KB request became 300 MiB in memory) and turns invalid UTF-8 into U+FFFD.
 */
export type BodyOutcome =
  | { kind: 'none' }
  | { kind: 'read'; bytes: Buffer; contentType: string }
  /** Answered before reading on: the rest of the body is never read. */
  | { kind: 'refused'; error: DomainError; closeConnection: boolean }
  | { kind: 'aborted' };

const outcomes = new WeakMap<IncomingMessage, BodyOutcome>();

/** type-is's rule, which the framework's parsers follow: a length (even 0) or a chunked body. */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && !Number.isNaN(Number(req.headers['content-length'])));
}

const tooLarge = () => new DomainError('payload_too_large', 'The body is larger than 16 KiB.');

/** Reads the body, counting bytes as they arrive and stopping at the limit; no decoding is done here. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<BodyOutcome> {
  const outcome = (o: BodyOutcome) => {
    outcomes.set(req, o);
    return o;
  };
  if (!hasBody(req)) return Promise.resolve(outcome({ kind: 'none' }));
  const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (coding !== 'identity' && coding !== '') {
    return Promise.resolve(
      outcome({ kind: 'refused', error: new DomainError('unsupported_media_type', 'Send the body uncompressed: Content-Encoding is not supported.'), closeConnection: true }),
    );
  }
  const announced = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(announced) && announced > limit) return Promise.resolve(outcome({ kind: 'refused', error: tooLarge(), closeConnection: true }));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (o: BodyOutcome) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome(o));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading: what was read is dropped, and the connection cannot be reused.
        req.pause();
        return settle({ kind: 'refused', error: tooLarge(), closeConnection: true });
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => settle({ kind: 'read', bytes: Buffer.concat(chunks, size), contentType: req.headers['content-type'] ?? '' }));
    // A client that goes away mid-upload is not a server error: nothing to answer, nothing to log as one.
    req.once('aborted', () => settle({ kind: 'aborted' }));
    req.once('error', () => settle({ kind: 'aborted' }));
  });
}

/** The outcome readBody recorded for this request; requests that never passed through it have none. */
export function bodyOf(req: IncomingMessage): BodyOutcome {
  return outcomes.get(req) ?? { kind: 'none' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** A JSON string may carry a lone surrogate as an escape (`"\ud800"`), which UTF-8 cannot store; in a `u` regex only a lone one is \p{Cs}. */
const loneSurrogate = /\p{Cs}/u;

function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return loneSurrogate.test(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => loneSurrogate.test(k) || hasLoneSurrogate(v));
  return false;
}

const mediaType = /^application\/json\s*(?:;\s*charset\s*=\s*"?([^";\s]+)"?\s*)?$/i;

/**
 * The body as JSON: 415 unless it is `application/json` in UTF-8, 413 over the limit, 400 when
 * it is not valid UTF-8 or JSON or carries a lone surrogate. Only UTF-8 JSON is accepted (RFC
 * 8259 §8.1), so `charset=utf-7` or `utf-16le` is refused rather than guessed at.
 */
export function jsonBody(req: IncomingMessage): unknown {
  const type = req.headers['content-type'] ?? '';
  const match = mediaType.exec(type.trim());
  if (!match || (match[1] !== undefined && !/^utf-?8$/i.test(match[1]))) {
    throw new DomainError('unsupported_media_type', 'Send the body as UTF-8 JSON with Content-Type: application/json.');
  }
  const body = bodyOf(req);
  if (body.kind === 'refused') throw body.error;
  const bytes = body.kind === 'read' ? body.bytes : Buffer.alloc(0);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DomainError('invalid_request', 'The body is not valid UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('invalid_request', 'The body is not valid JSON.');
  }
  if (hasLoneSurrogate(value)) throw new DomainError('invalid_request', 'The body has text that is not valid Unicode (a lone surrogate).');
  return value;
}
