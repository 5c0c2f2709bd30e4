import { PatientKeyError, readKeyring, type PatientKeyring } from './privacy/keys';

/**
 * Configuration, read from the environment once and validated, so a bad value stops the
 * process at start with a sentence naming the variable instead of failing a request later.
 */
export interface Config {
  readonly port: number;
  /** Address to listen on; unset: every interface (a container). `npm start` defaults to loopback. */
  readonly host: string | undefined;
  /** Knative's K_SERVICE: the database application_name, so pg_stat_activity names the function. */
  readonly serviceName: string;
  /** FUNCTION_TARGET: a bundle refuses to serve a target it does not hold. */
  readonly functionTarget: string | undefined;
  /** Connection string of the app role (owns no tables, runs no DDL); unset for render-page. */
  readonly databaseUrl: string | undefined;
  readonly poolSize: number;
  /** BOOKING_HORIZON_DAYS: no slot further ahead is offered or booked (a calendar cannot be hoarded years out). */
  readonly bookingHorizonDays: number;
  /** SLOT_CACHE_TTL_MS: how long an instance keeps doctors and slots in memory at most; 0 turns the cache off. */
  readonly slotCacheTtlMs: number;
  /**
   * DATABASE_DIRECT_URL: a connection that bypasses a transaction-mode pooler, for the slot
   * cache's LISTEN (which a pooler cannot carry); unset: DATABASE_URL.
   */
  readonly databaseDirectUrl: string | undefined;
  /** PG_MAX_WAITING: requests that may wait for a pooled connection before more are shed with 503. */
  readonly poolMaxWaiting: number;
  /** PATIENT_DATA_KEY (+ PATIENT_DATA_OLD_KEYS): seals patients' contact details; unset: no booking can be stored. */
  readonly patientDataKeys: PatientKeyring | undefined;
  /** PATIENT_DATA_RETENTION_DAYS: a patient's name and contact are removed this long after the appointment. */
  readonly patientDataRetentionDays: number;
  /**
   * AUDIT_RETENTION_DAYS: how long the staff audit trail is kept. Six years by default, as
   * HIPAA 164.316(b)(2) keeps documentation; never under a year (the database refuses less too).
   */
  readonly auditRetentionDays: number;
  /**
   * TRUSTED_PROXIES: how many proxies in front append to X-Forwarded-For (0: the socket's
   * address), or `private`: every private or loopback hop is a proxy of ours (a cluster, where
   * the Knative activator is in the path only some of the time).
   */
  readonly trustedProxies: number | 'private';
  /** Limits on anonymous clients (BOOKING_LIMITS=off turns them all off, for load tests only). */
  readonly limits: Readonly<LimitsConfig>;
  /** The machine-to-machine credential (role `service`: the listing, read-only); unset: none. */
  readonly staffToken: string | undefined;
  /** OIDC_ISSUER: the OpenID provider staff sign in with; unset: no person can sign in. */
  readonly oidcIssuer: string | undefined;
  /** OIDC_AUDIENCE: the `aud` an access token must carry to be accepted by this API. */
  readonly oidcAudience: string | undefined;
  /** OIDC_CLIENT_ID: the staff page's public client at the issuer. */
  readonly oidcClientId: string | undefined;
  /** OIDC_ROLES_CLAIM: dotted path of the claim with the roles (`roles`, `groups`, `realm_access.roles`). */
  readonly oidcRolesClaim: string;
  /** OIDC_DOCTOR_CLAIM: dotted path of the claim with a clinician's doctor id. */
  readonly oidcDoctorClaim: string;
  /** OIDC_SCOPE: what the staff page asks the issuer for (render-page); it must include openid. */
  readonly oidcScope: string;
  /** Unset: events stay in the outbox until a sink is configured. */
  readonly sinkUrl: string | undefined;
  /** Exact origins that CORS echoes back; never `*`. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly logLevel: 'debug' | 'info' | 'warning' | 'error';
}

export interface LimitsConfig {
  enabled: boolean;
  /** Bookings per client address per hour (BOOKING_RATE_PER_ADDRESS). */
  bookingsPerAddress: number;
  /** Bookings per e-mail or phone per hour (BOOKING_RATE_PER_CONTACT). */
  bookingsPerContact: number;
  /** Lookups and cancellations per client address per minute (LOOKUP_RATE_PER_ADDRESS). */
  lookupsPerAddress: number;
  /** Failed staff sign-ins per client address per minute (SIGNIN_FAILURES_PER_ADDRESS). */
  signInFailuresPerAddress: number;
  /** Future booked appointments one contact may hold (MAX_FUTURE_BOOKINGS_PER_CONTACT). */
  futureBookingsPerContact: number;
  /** BOOKING_CHALLENGE=on: an anonymous booking must carry a solved proof-of-work (privacy/challenge.ts). */
  challenge: boolean;
  /** BOOKING_CHALLENGE_WORK: the most hashes a challenge may take to solve (about 1 s per 100,000 in a browser). */
  challengeWork: number;
}

function onOff(env: Env, name: string, fallback: 'on' | 'off'): boolean {
  const value = (env[name] || fallback).toLowerCase();
  if (value !== 'on' && value !== 'off') throw new ConfigError(`${name} must be on or off, not "${env[name]}".`);
  return value === 'on';
}

function limits(env: Env): LimitsConfig {
  const switch_ = (env.BOOKING_LIMITS || 'on').toLowerCase();
  if (switch_ !== 'on' && switch_ !== 'off') throw new ConfigError('BOOKING_LIMITS must be on or off.');
  return {
    enabled: switch_ === 'on',
    bookingsPerAddress: integer(env, 'BOOKING_RATE_PER_ADDRESS', 20, 1, 1_000_000),
    bookingsPerContact: integer(env, 'BOOKING_RATE_PER_CONTACT', 5, 1, 1_000_000),
    lookupsPerAddress: integer(env, 'LOOKUP_RATE_PER_ADDRESS', 30, 1, 1_000_000),
    signInFailuresPerAddress: integer(env, 'SIGNIN_FAILURES_PER_ADDRESS', 10, 1, 1_000_000),
    futureBookingsPerContact: integer(env, 'MAX_FUTURE_BOOKINGS_PER_CONTACT', 3, 1, 10_000),
    challenge: onOff(env, 'BOOKING_CHALLENGE', 'off'),
    challengeWork: integer(env, 'BOOKING_CHALLENGE_WORK', 100_000, 1_000, 10_000_000),
  };
}

function patientKeys(env: Env): PatientKeyring | undefined {
  try {
    return readKeyring(env.PATIENT_DATA_KEY || undefined, env.PATIENT_DATA_OLD_KEYS || undefined);
  } catch (err) {
    if (err instanceof PatientKeyError) throw new ConfigError(err.message);
    throw err;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

function origins(raw: string | undefined): Set<string> {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const origin of list) {
    if (origin === '*') throw new ConfigError('ALLOWED_ORIGINS must list origins; "*" is not allowed.');
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(`ALLOWED_ORIGINS has "${origin}", which is not an origin like https://clinic.example.`);
    }
    if (parsed.origin !== origin) {
      throw new ConfigError(`ALLOWED_ORIGINS has "${origin}"; write it as the bare origin "${parsed.origin}".`);
    }
  }
  return new Set(list);
}

function claimPath(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/.test(value)) throw new ConfigError(`${name} must be a claim name or a dotted path like realm_access.roles, not "${value}".`);
  return value;
}

function scopeList(raw: string | undefined): string {
  const scope = raw?.trim() || 'openid profile';
  if (!/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(scope) || !scope.split(' ').includes('openid')) {
    throw new ConfigError('OIDC_SCOPE must be space-separated scopes that include openid.');
  }
  return scope;
}

function oidc(env: Env) {
  const issuer = env.OIDC_ISSUER || undefined;
  if (issuer !== undefined) {
    const url = URL.canParse(issuer) ? new URL(issuer) : undefined;
    const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!url || (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))) {
      throw new ConfigError('OIDC_ISSUER must be an https URL (http only on 127.0.0.1 or localhost).');
    }
    if (!env.OIDC_AUDIENCE) throw new ConfigError('OIDC_AUDIENCE must be set with OIDC_ISSUER: the audience your issuer puts in access tokens for this API.');
  }
  return {
    oidcIssuer: issuer,
    oidcAudience: env.OIDC_AUDIENCE || undefined,
    oidcClientId: env.OIDC_CLIENT_ID || undefined,
    oidcRolesClaim: claimPath(env, 'OIDC_ROLES_CLAIM', 'roles'),
    oidcDoctorClaim: claimPath(env, 'OIDC_DOCTOR_CLAIM', 'doctor_id'),
    oidcScope: scopeList(env.OIDC_SCOPE),
  };
}

/** Reads and validates a configuration from `env` (process.env by default), without keeping it. */
export function readConfig(env: Env = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  const sinkUrl = env.K_SINK || undefined;
  if (sinkUrl !== undefined && !URL.canParse(sinkUrl)) throw new ConfigError('K_SINK is not a URL.');
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!['debug', 'info', 'warning', 'error'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL must be one of debug, info, warning, error.');
  }
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || undefined,
    serviceName: env.K_SERVICE || 'clinic-booking',
    functionTarget: env.FUNCTION_TARGET || undefined,
    databaseUrl,
    poolSize: integer(env, 'PG_POOL_SIZE', 10, 1, 100),
    bookingHorizonDays: integer(env, 'BOOKING_HORIZON_DAYS', 180, 1, 3650),
    slotCacheTtlMs: integer(env, 'SLOT_CACHE_TTL_MS', 30_000, 0, 3_600_000),
    databaseDirectUrl: env.DATABASE_DIRECT_URL || undefined,
    poolMaxWaiting: integer(env, 'PG_MAX_WAITING', 20 * integer(env, 'PG_POOL_SIZE', 10, 1, 100), 0, 10_000),
    patientDataKeys: patientKeys(env),
    patientDataRetentionDays: integer(env, 'PATIENT_DATA_RETENTION_DAYS', 365, 1, 36500),
    auditRetentionDays: integer(env, 'AUDIT_RETENTION_DAYS', 2190, 365, 36500),
    trustedProxies: env.TRUSTED_PROXIES === 'private' ? 'private' : integer(env, 'TRUSTED_PROXIES', 0, 0, 10),
    limits: Object.freeze(limits(env)),
    staffToken: env.STAFF_TOKEN || undefined,
    ...oidc(env),
    sinkUrl,
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    logLevel: logLevel as Config['logLevel'],
  });
}

let current: Config | undefined;

/** The database connection string; a function that uses the database checks it at start. */
export function requireDatabaseUrl(): string {
  const url = config().databaseUrl;
  if (!url) throw new ConfigError('DATABASE_URL is not set (npm start sets it when it starts the embedded PostgreSQL).');
  return url;
}

/** The patient data keyring; a function that stores or reads contact details checks it at use. */
export function requirePatientDataKeys(): PatientKeyring {
  const keys = config().patientDataKeys;
  if (!keys) throw new ConfigError('PATIENT_DATA_KEY is not set (npm start generates one into .data/; scripts/deploy into patient-data-secret).');
  return keys;
}

/**
 * Makes `settings` the process's configuration, before anything has used it: `npm start`
 * passes the embedded database's URL this way instead of writing it into process.env.
 */
export function useConfig(settings: Config): void {
  if (current && current !== settings) throw new Error('The configuration was already read; useConfig must come first.');
  current = settings;
}

/** The process's configuration: what useConfig set, or else read from process.env on first use. */
export function config(): Config {
  current ??= readConfig();
  return current;
}
