import { ConfigError } from '../core/config';

/** Base URL of each API function the page talks to; '' is the page's own origin. */
export interface ApiEndpoints {
  availability: string;
  createBooking: string;
  listAppointments: string;
  cancelBooking: string;
}

export interface PageConfig {
  readonly api: Readonly<ApiEndpoints>;
  /** Origins the page may fetch from besides its own: the CSP's connect-src. */
  readonly apiOrigins: readonly string[];
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

function readPageConfig(): PageConfig {
  const shared = baseUrl('API_BASE_URL') ?? '';
  const api = {} as ApiEndpoints;
  for (const [key, name] of Object.entries(variables) as Array<[keyof ApiEndpoints, string]>) api[key] = baseUrl(name) ?? shared;
  const apiOrigins = [...new Set(Object.values(api).filter(Boolean).map((url) => new URL(url).origin))];
  return Object.freeze({ api: Object.freeze(api), apiOrigins: Object.freeze(apiOrigins) });
}

let current: PageConfig | undefined;

/** The page's configuration, read from the environment once, on first use. */
export function pageConfig(): PageConfig {
  current ??= readPageConfig();
  return current;
}
