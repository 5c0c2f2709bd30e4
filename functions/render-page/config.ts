import { config, ConfigError } from '../core/config';

/** Base URL of each API function the page talks to; '' is the page's own origin. */
export interface ApiEndpoints {
  availability: string;
  createBooking: string;
  listAppointments: string;
  cancelBooking: string;
  rescheduleBooking: string;
  frontDesk: string;
  staffAudit: string;
  adminSchedule: string;
}

/** What the staff page needs to sign staff in with OpenID Connect (a public client, PKCE). */
export interface SignInConfig {
  /** OIDC_ISSUER: the staff page discovers its endpoints from here. */
  readonly issuer: string;
  /** OIDC_CLIENT_ID: the staff page's public client. */
  readonly clientId: string;
  /** OIDC_SCOPE: what the page asks for; it must get an access token for the API. */
  readonly scope: string;
}

export interface PageConfig {
  readonly api: Readonly<ApiEndpoints>;
  /** Origins the page may fetch from besides its own: the CSP's connect-src. */
  readonly apiOrigins: readonly string[];
  /** Unset without OIDC_ISSUER: the staff page then says that sign-in is not configured. */
  readonly signIn: SignInConfig | undefined;
}

/**
 * Each function's own variable wins over API_BASE_URL. In Kubernetes every function is its
 * own Knative Service with its own URL; under `npm start` they share the page's origin.
 */
const variables: Record<keyof ApiEndpoints, string> = {
  availability: 'AVAILABILITY_URL',
  createBooking: 'CREATE_BOOKING_URL',
  listAppointments: 'LIST_APPOINTMENTS_URL',
  cancelBooking: 'CANCEL_BOOKING_URL',
  rescheduleBooking: 'RESCHEDULE_BOOKING_URL',
  frontDesk: 'FRONT_DESK_URL',
  staffAudit: 'STAFF_AUDIT_URL',
  adminSchedule: 'ADMIN_SCHEDULE_URL',
};

function baseUrl(name: string): string | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL like https://availability.clinic.example, not "${raw}".`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`${name} must be an http(s) URL without credentials, query or fragment.`);
  }
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/**
 * From the process's configuration (functions/core/config.ts), not process.env: `npm start`
 * hands the development provider's settings to readConfig without writing them into the
 * environment.
 */
function readSignIn(): SignInConfig | undefined {
  const { oidcIssuer, oidcClientId, oidcScope } = config();
  if (!oidcIssuer) return undefined;
  if (!oidcClientId) throw new ConfigError('OIDC_CLIENT_ID must be set with OIDC_ISSUER: the staff page signs in as that client.');
  return Object.freeze({ issuer: oidcIssuer.replace(/\/+$/, ''), clientId: oidcClientId, scope: oidcScope });
}

function readPageConfig(): PageConfig {
  const shared = baseUrl('API_BASE_URL') ?? '';
  const api = {} as ApiEndpoints;
  for (const [key, name] of Object.entries(variables) as Array<[keyof ApiEndpoints, string]>) api[key] = baseUrl(name) ?? shared;
  const signIn = readSignIn();
  // The page fetches the issuer's discovery, keys and token endpoint itself.
  const apiOrigins = [...new Set([...Object.values(api), signIn?.issuer ?? ''].filter(Boolean).map((url) => new URL(url).origin))];
  return Object.freeze({ api: Object.freeze(api), apiOrigins: Object.freeze(apiOrigins), signIn });
}

let current: PageConfig | undefined;

/** The page's configuration, read from the environment once, on first use. */
export function pageConfig(): PageConfig {
  current ??= readPageConfig();
  return current;
}
