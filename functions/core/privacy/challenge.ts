import { createHash, createHmac } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import * as v from 'valibot';
import type { Db } from '../db';
import { RateLimitsRepo } from '../db/repos/rate-limits';
import { DomainError } from '../errors';
import type { PatientKeyring } from './keys';

/**
 * A proof-of-work for anonymous bursts (BOOKING_CHALLENGE=on), in the ALTCHA protocol (v2,
 * altcha-lib): GET /api/booking-challenge hands out a signed challenge, the widget solves it
 * without a puzzle for the patient (hashes for about a second), and the booking carries
 * `Booking-Challenge: <base64url JSON { challenge, solution }>`. A bot that wants a thousand
 * bookings pays a thousand seconds of CPU; the patient waits a moment once.
 *
 * Deterministic mode: the server picks the counter and signs the key it leads to, so checking
 * a solution costs one hash chain, not a search. Each solution is accepted once (its signature
 * is counted in rate_limits, shared by every instance) and for five minutes.
 *
 * The signing secrets are derived from PATIENT_DATA_KEY (HMAC with a label of their own), so
 * there is no other secret to generate and rotate; rotating that key ends challenges handed
 * out before it, which costs a patient one more second.
 */
const ALGORITHM = 'SHA-256';
const LIFETIME_SECONDS = 300;

function secrets(keys: PatientKeyring): { hmacSignatureSecret: string; hmacKeySignatureSecret: string } {
  const derive = (label: string) => createHmac('sha256', keys.current.key).update(label).digest('base64url');
  return { hmacSignatureSecret: derive('booking-challenge-signature'), hmacKeySignatureSecret: derive('booking-challenge-key-signature') };
}

/** A fresh challenge that takes up to `work` hashes (half of that on average, at least half of it always). */
export async function issueChallenge(keys: PatientKeyring, work: number): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: 1,
    counter: randomInt(Math.floor(work / 2), work),
    deriveKey,
    expiresAt: Math.floor(Date.now() / 1000) + LIFETIME_SECONDS,
    ...secrets(keys),
  });
}

const PayloadSchema = v.object({
  challenge: v.object({
    parameters: v.looseObject({ algorithm: v.literal(ALGORITHM), nonce: v.string(), salt: v.string(), cost: v.number(), keyLength: v.number(), keyPrefix: v.string() }),
    signature: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  }),
  solution: v.looseObject({ counter: v.number(), derivedKey: v.string() }),
});

const required = () =>
  new DomainError('challenge_required', 'This booking needs a solved challenge: get one from GET /api/booking-challenge and send it in the Booking-Challenge header.');

/** Checks the Booking-Challenge header; 428 challenge_required when it is missing, wrong, expired or used. */
export async function checkChallenge(db: Db, keys: PatientKeyring, header: string | undefined): Promise<void> {
  if (!header || header.length > 4096) throw required();
  let payload;
  try {
    payload = v.parse(PayloadSchema, JSON.parse(Buffer.from(header, 'base64url').toString('utf8')));
  } catch {
    throw required();
  }
  const result = await verifySolution({
    challenge: payload.challenge as Challenge,
    solution: payload.solution as Solution,
    deriveKey,
    ...secrets(keys),
  }).catch(() => ({ verified: false }));
  if (!result.verified) throw required();
  // Once only: the first use counts 1, any replay more.
  const bucket = createHash('sha256').update('booking-challenge').update(payload.challenge.signature).digest();
  const { hits } = await new RateLimitsRepo(db).hit(bucket, LIFETIME_SECONDS);
  if (hits > 1) throw required();
}
