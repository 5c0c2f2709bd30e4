import { createHash } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import { config, type LimitsConfig } from './config';
import type { Db } from './db';
import { RateLimitsRepo, type WindowCount } from './db/repos/rate-limits';
import { DomainError } from './errors';
import { log } from './log';
import type { PatientKeyring } from './privacy/keys';
import { contactIndex, normalizeContact } from './privacy/seal';

/**
 * Limits on anonymous clients, counted in PostgreSQL (rate_limits) so ten pods allow what one
 * does. Each hit is one upsert on a small UNLOGGED table. Buckets are hashes: an address only
 * as its SHA-256 (the row lives one window), a contact as its keyed blind index.
 */
export type LimitedAction = 'book' | 'book-contact' | 'lookup' | 'sign-in-failure';

interface Rule {
  limit: (limits: LimitsConfig) => number;
  windowSeconds: number;
}

const rules: Record<LimitedAction, Rule> = {
  book: { limit: (l) => l.bookingsPerAddress, windowSeconds: 3600 },
  'book-contact': { limit: (l) => l.bookingsPerContact, windowSeconds: 3600 },
  lookup: { limit: (l) => l.lookupsPerAddress, windowSeconds: 60 },
  'sign-in-failure': { limit: (l) => l.signInFailuresPerAddress, windowSeconds: 60 },
};

/**
 * The client's address: the socket's, or with TRUSTED_PROXIES = n, the address the outermost
 * of our n proxies saw (n-th X-Forwarded-For entry from the right). Entries further left were
 * written by the client and are not believed. Under Knative the ingress and the queue-proxy
 * append; `npm start` has no proxy, so it trusts none.
 */
export function clientAddress(req: Request, trustedProxies = config().trustedProxies): string {
  const socket = req.socket?.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chain = [...forwarded, socket];
  if (trustedProxies === 'private') {
    let i = chain.length - 1;
    while (i > 0 && isPrivate(chain[i])) i--;
    return chain[i];
  }
  return chain[Math.max(0, chain.length - 1 - trustedProxies)];
}

/** Loopback, RFC 1918, link-local and unique-local addresses: hops inside the cluster. */
export function isPrivate(address: string): boolean {
  const a = address.replace(/^::ffff:/i, '').toLowerCase();
  return /^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2[0-9]|3[01])\.)/.test(a) || a === '::1' || /^f[cd][0-9a-f]{2}:/.test(a) || /^fe80:/.test(a);
}

/** A limit's row key: the SHA-256 of the action and the subject, never the address or contact itself. */
export const bucketOf = (action: LimitedAction, subject: string | Buffer) =>
  createHash('sha256').update(action).update('\0').update(subject).digest();

function tooMany(res: Response, action: LimitedAction, retryAfter: number): DomainError {
  res.setHeader('Retry-After', String(retryAfter));
  log.info('rate limit reached', { action, retry_after: retryAfter });
  return new DomainError('too_many_requests', `Too many requests. Try again in ${retryAfter} seconds.`);
}

/**
 * A hit for the statement that serves the request to count itself, so the limit costs no
 * round trip of its own (appointments/find-by-reference.sql); null while limits are off.
 */
export interface CountedHit {
  bucket: Buffer;
  windowSeconds: number;
  limit: number;
  /** The 429 (Retry-After set) for a window past the limit. */
  refuse(count: WindowCount): DomainError;
}

export function hitToCount(res: Response, action: LimitedAction, subject: string | Buffer): CountedHit | null {
  const limits = config().limits;
  if (!limits.enabled) return null;
  const rule = rules[action];
  return { bucket: bucketOf(action, subject), windowSeconds: rule.windowSeconds, limit: rule.limit(limits), refuse: (count) => tooMany(res, action, count.retryAfter) };
}

/** Counts one request of `action` by `subject`; a 429 with Retry-After once past the limit. */
export async function limit(db: Db, res: Response, action: LimitedAction, subject: string | Buffer): Promise<void> {
  const hit = hitToCount(res, action, subject);
  if (!hit) return;
  const count = await new RateLimitsRepo(db).hit(hit.bucket, hit.windowSeconds);
  if (count.hits > hit.limit) throw hit.refuse(count);
}

/** A 429 if `subject` is already past the limit, without counting this request. */
export async function refuseIfOver(db: Db, res: Response, action: LimitedAction, subject: string | Buffer): Promise<void> {
  const limits = config().limits;
  if (!limits.enabled) return;
  const rule = rules[action];
  const { hits, retryAfter } = await new RateLimitsRepo(db).peek(bucketOf(action, subject), rule.windowSeconds);
  if (hits >= rule.limit(limits)) throw tooMany(res, action, retryAfter);
}

/**
 * Booking: per address, and per e-mail and per phone given (each as its blind index), counted
 * in one statement; the first limit passed, address first, is the 429.
 */
export async function limitBooking(db: Db, req: Request, res: Response, keys: PatientKeyring, contact: { email?: string | null; phone?: string | null }): Promise<void> {
  const limits = config().limits;
  if (!limits.enabled) return;
  const hits: Array<{ action: LimitedAction; bucket: Buffer; windowSeconds: number }> = [];
  const add = (action: LimitedAction, subject: string | Buffer) => {
    const bucket = bucketOf(action, subject);
    // One statement may not upsert a row twice; the same bucket twice is one hit anyway.
    if (!hits.some((h) => h.bucket.equals(bucket))) hits.push({ action, bucket, windowSeconds: rules[action].windowSeconds });
  };
  add('book', clientAddress(req));
  if (contact.email) add('book-contact', contactIndex(keys.current, normalizeContact('email', contact.email)));
  if (contact.phone) add('book-contact', contactIndex(keys.current, normalizeContact('phone', contact.phone)));
  const counts = await new RateLimitsRepo(db).hitMany(hits);
  hits.forEach((hit, i) => {
    if (counts[i].hits > rules[hit.action].limit(limits)) throw tooMany(res, hit.action, counts[i].retryAfter);
  });
}

/**
 * Staff sign-in: an address that has failed too often in the last minute is refused before
 * its token is even looked at; each failure (401) counts. A valid token never counts, so staff
 * are not limited like anonymous clients, while a guesser is held to a few tries a minute.
 */
export async function guardSignIn<T>(db: Db, req: Request, res: Response, authenticate: () => Promise<T>): Promise<T> {
  const address = clientAddress(req);
  await refuseIfOver(db, res, 'sign-in-failure', address);
  try {
    return await authenticate();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'unauthorized') {
      await new RateLimitsRepo(db).hit(bucketOf('sign-in-failure', address), rules['sign-in-failure'].windowSeconds).catch(() => undefined);
    }
    throw err;
  }
}
