import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/sha';
import { ApiError } from '../api';

/**
 * Solves the server's ALTCHA challenge (functions/core/privacy/challenge.ts) with WebCrypto and
 * returns the Booking-Challenge header's value. Loaded only when a booking is asked for one, so
 * the page carries none of it otherwise.
 */
export async function solveBookingChallenge(challenge: unknown, signal?: AbortSignal): Promise<string> {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const solution = await solveChallenge({ challenge: challenge as Challenge, deriveKey, controller, timeout: 60_000 });
  if (!solution) throw new ApiError(0, 'challenge_failed', 'The booking could not be confirmed as coming from a person. Please try again.');
  const json = JSON.stringify({ challenge, solution });
  const bytes = new TextEncoder().encode(json);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
