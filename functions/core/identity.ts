import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { DomainError } from './errors';

/**
 * Who a staff request comes from. People sign in with OpenID Connect and present the access
 * token (a JWT) the issuer gave them; the one static credential left, STAFF_TOKEN, is a
 * machine's, with the `service` role, so every use of it can be told apart and audited.
 */
export const roles = ['admin', 'reception', 'clinician', 'service'] as const;
export type Role = (typeof roles)[number];

export interface StaffActor {
  /** The issuer's `sub` (stable per person), or `service:staff-token` for the static token. */
  sub: string;
  /** A display name for the audit trail: `name`, else `preferred_username`, else null. */
  name: string | null;
  /** The roles this product knows, in the order of `roles`; values it does not know are dropped. */
  roles: Role[];
  /** The doctor a clinician works as (from the doctor claim); null for everyone else. */
  doctorId: number | null;
  kind: 'person' | 'service';
}

/**
 * What each role may do, the one table every function's checks come from. `service` is the
 * machine credential: it lists, and nothing else.
 */
export const permissions = {
  /** The staff listing (clinicians see their own doctor's rows only). */
  'appointments:list': ['admin', 'reception', 'clinician', 'service'],
  /** One appointment by id, for staff. */
  'appointments:read': ['admin', 'reception', 'clinician'],
  /** Patients' e-mail and phone next to the appointment. */
  'appointments:contact': ['reception', 'clinician'],
  /** Book, cancel and reschedule on a patient's behalf; check a patient in. */
  'appointments:front-desk': ['reception'],
  /** Move a visit on (arrived, completed, no_show) and add internal notes. */
  'appointments:visit': ['reception', 'clinician'],
  /** Erase one patient's name and contact on their request (issue 16). */
  'patients:erase': ['admin'],
  'audit:read': ['admin'],
  /** The clinic's schedule: doctors, appointment types, hours, time off, holidays, booking rules (issue 11). */
  'schedule:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof permissions;

/** Roles that see every doctor's appointments; a clinician without one of them sees only their own. */
const seesEveryDoctor: readonly Role[] = ['admin', 'reception', 'service'];

export function can(actor: StaffActor, permission: Permission): boolean {
  const allowed: readonly Role[] = permissions[permission];
  return actor.roles.some((role) => allowed.includes(role));
}

/** 403 `forbidden` unless the actor has a role that grants `permission`. */
export function requirePermission(actor: StaffActor, permission: Permission): void {
  if (!can(actor, permission)) throw new DomainError('forbidden', 'Your role does not allow this.');
}

/** The one doctor whose appointments the actor may see, or null for all of them. */
export function doctorScope(actor: StaffActor): number | null | 'none' {
  if (actor.roles.some((role) => seesEveryDoctor.includes(role))) return null;
  if (actor.roles.includes('clinician') && actor.doctorId !== null) return actor.doctorId;
  return 'none';
}

/** GET /api/staff/me: who the page is signed in as and what it may show; the server still checks each request. */
export function describeActor(actor: StaffActor) {
  return {
    sub: actor.sub,
    name: actor.name,
    roles: actor.roles,
    doctor_id: actor.doctorId,
    may: {
      list: can(actor, 'appointments:list') && doctorScope(actor) !== 'none',
      every_doctor: doctorScope(actor) === null,
      contact: can(actor, 'appointments:contact'),
      audit: can(actor, 'audit:read'),
    },
  };
}

/**
 * A 401 that says, in `WWW-Authenticate`, why (RFC 6750 section 3): no credentials at all get
 * the bare challenge, a credential that was refused gets `error="invalid_token"`.
 */
export class AuthenticationError extends DomainError {
  readonly challenge: string;

  /** Why, for the log: a jose error code or a word of ours; never anything of the token. */
  constructor(presented: boolean, readonly reason = presented ? 'malformed' : 'missing') {
    super('unauthorized', presented ? 'The access token is not valid; sign in again.' : 'Sign in: this needs a bearer access token.');
    this.challenge = presented ? 'Bearer error="invalid_token"' : 'Bearer';
  }
}

export interface IdentitySettings {
  /** Unset: no person can sign in (only the service token, if any, works). */
  issuer: string | undefined;
  audience: string | undefined;
  /** Dotted path of the claim holding roles: `roles`, `groups`, `realm_access.roles`. */
  rolesClaim: string;
  /** Dotted path of the claim holding a clinician's doctor id. */
  doctorClaim: string;
  /** STAFF_TOKEN: the machine-to-machine credential. */
  serviceToken: string | undefined;
  /** Seconds of clock skew tolerated on exp and nbf. */
  clockToleranceSeconds?: number;
  /** How soon an unknown `kid` may fetch the key set again (jose's cooldown); 30 s by default. */
  jwksCooldownMs?: number;
}

/** Asymmetric algorithms only: a symmetric one would let anyone holding the public key sign. */
export const acceptedAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

const digest = (text: string) => createHash('sha256').update(text).digest();

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Roles from a claim that is an array of strings or one space- or comma-separated string. */
export function rolesFrom(value: unknown): Role[] {
  const given = Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return roles.filter((role) => role !== 'service' && given.includes(role));
}

function doctorFrom(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
}

/**
 * jose reports the key set's fetch failing as a timeout, an invalid set, a generic error (a
 * non-200 answer) or fetch's own `TypeError: fetch failed`; every token problem is a more specific
 * JOSEError, and anything unforeseen counts against the token (401), never as our outage.
 */
function keySetUnreachable(err: unknown): boolean {
  if (!(err instanceof joseErrors.JOSEError)) return err instanceof TypeError && /fetch/i.test(err.message);
  return err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid || err.code === 'ERR_JOSE_GENERIC';
}

/** The issuer or its keys could not be reached: our problem, not the token's (503, never 500). */
export class IssuerUnavailableError extends DomainError {
  constructor() {
    super('unavailable', 'Sign-in cannot be checked right now; try again shortly.');
  }
}

/**
 * Checks an `Authorization` header and says who sent it. Discovery (the issuer's
 * `jwks_uri`) is fetched on first use and kept; jose keeps the key set and fetches it again
 * when a token names a `kid` it has not seen (key rotation), at most every 30 s.
 */
export function createIdentity(settings: IdentitySettings) {
  const issuer = settings.issuer?.replace(/\/+$/, '');
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  async function discover(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const url = `${issuer}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 4.3: the document must name the issuer it was fetched from.
    if (typeof doc.issuer !== 'string' || doc.issuer.replace(/\/+$/, '') !== issuer) throw new Error('discovery names another issuer');
    if (typeof doc.jwks_uri !== 'string' || !URL.canParse(doc.jwks_uri)) throw new Error('discovery has no jwks_uri');
    return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 5_000, cooldownDuration: settings.jwksCooldownMs ?? 30_000 });
  }

  function keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    keys ??= discover().catch((err) => {
      keys = undefined; // the next request tries again
      throw err;
    });
    return keys;
  }

  async function verifyPerson(token: string): Promise<StaffActor> {
    if (!issuer || !settings.audience) throw new AuthenticationError(true, 'no_issuer_configured');
    let jwks;
    try {
      jwks = await keySet();
    } catch {
      throw new IssuerUnavailableError();
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: [issuer, `${issuer}/`],
        audience: settings.audience,
        algorithms: acceptedAlgorithms,
        clockTolerance: settings.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      if (keySetUnreachable(err)) throw new IssuerUnavailableError();
      // Anything else (a bad signature, claim, algorithm or shape) is the token's fault.
      throw new AuthenticationError(true, err instanceof joseErrors.JOSEError ? err.code : 'unverifiable');
    }
    const name = claimAt(payload, 'name') ?? claimAt(payload, 'preferred_username');
    return {
      sub: String(payload.sub),
      name: typeof name === 'string' ? name.slice(0, 200) : null,
      roles: rolesFrom(claimAt(payload, settings.rolesClaim)),
      doctorId: doctorFrom(claimAt(payload, settings.doctorClaim)),
      kind: 'person',
    };
  }

  return {
    /** The actor, or an AuthenticationError (401) / IssuerUnavailableError (503). */
    async authenticate(authorization: string | undefined): Promise<StaffActor> {
      if (!authorization?.trim()) throw new AuthenticationError(false);
      // RFC 7235: the scheme is case-insensitive.
      const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
      if (!match) throw new AuthenticationError(true);
      const token = match[1];
      if (settings.serviceToken && timingSafeEqual(digest(token), digest(settings.serviceToken))) {
        return { sub: 'service:staff-token', name: 'STAFF_TOKEN', roles: ['service'], doctorId: null, kind: 'service' };
      }
      if (token.split('.').length !== 3) throw new AuthenticationError(true, 'not_a_jwt');
      return verifyPerson(token);
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
