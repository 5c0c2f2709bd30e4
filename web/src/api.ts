/**
 * A typed client for the booking API. Its request and response types are the contract's
 * (api/openapi.yaml, generated into ./lib/api-contract.ts), so the widget cannot drift from
 * what the server is tested to answer.
 *
 * Each function may live at its own base URL (in Kubernetes every function is its own Knative
 * Service); `npm start` serves them all from the page's origin, where every base is ''.
 */

import type { components, operations } from './lib/api-contract';

type Schemas = components['schemas'];

/** One kind of visit a doctor offers; the default one is what a booking without a type is. */
export type AppointmentTypeChoice = Schemas['DoctorAppointmentType'];
/** `timezone` is an IANA zone; slot dates and times are read on this clock. `appointment_types`: active ones, default first. */
export type Doctor = Schemas['Doctor'];
export type Slot = Schemas['Slot'];
export type DaySlots = Schemas['DaySlots'];
export type AppointmentStatus = Schemas['AppointmentStatus'];
/** `reference` is the patient's key to their booking: whoever holds it can look it up and cancel it. */
export type Appointment = Schemas['Appointment'];
export type BookingRequest = Schemas['BookingRequest'];
/** The staff listing's filter: `from` inclusive, `to` exclusive, both instants. */
export type AppointmentFilter = NonNullable<operations['listAppointments']['parameters']['query']>;
export type AppointmentPage = Schemas['AppointmentPage'];
export type FieldIssue = Schemas['FieldIssue'];
/** The error codes the API answers with. */
export type ErrorCode = Schemas['ErrorCode'];

/** GET /api/availability's filters: dates on each doctor's clock, both inclusive; names match case-insensitively. */
export type AvailabilityQuery = NonNullable<operations['firstAvailable']['parameters']['query']>;
/** One of the earliest free times, with the doctor and type it is for. */
export type AvailableSlot = Schemas['AvailableSlot'];
export type Availability = Schemas['FirstAvailable'];
/** The days of a month (doctor's clock) with at least one free time of the type. */
export type DoctorDays = Schemas['BookableDays'];

/** Base URL of each function, without a trailing slash; '' means the page's own origin. */
export interface Endpoints {
  availability: string;
  createBooking: string;
  listAppointments: string;
  cancelBooking: string;
  rescheduleBooking: string;
  /** The staff page's other functions: visit status and notes, the audit trail, the clinic's schedule. */
  frontDesk: string;
  staffAudit: string;
  adminSchedule: string;
}

export const sameOrigin: Endpoints = Object.freeze({ availability: '', createBooking: '', listAppointments: '', cancelBooking: '', rescheduleBooking: '', frontDesk: '', staffAudit: '', adminSchedule: '' });

/**
 * A failed request. `status` 0 means no answer at all (offline, refused, timed out), with code
 * `unreachable`; otherwise `code` is the API's error code.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    /** From Retry-After, when the server said when to come back. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** No answer, or the server failed: the same request may well work if tried again. */
  get unavailable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError';
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class BookingApi {
  constructor(
    readonly endpoints: Endpoints = sameOrigin,
    /** A request with no answer by then counts as unreachable. */
    private readonly timeoutMs = 15_000,
  ) {}

  async doctors(signal?: AbortSignal): Promise<Doctor[]> {
    const body = await this._request<{ items: Doctor[] }>(this.endpoints.availability, '/api/doctors', { signal });
    return body.items;
  }

  /** `date` is a calendar day on the doctor's clock; without `appointmentTypeId`, the slots of the doctor's default type. */
  slots(doctorId: number, date: string, signal?: AbortSignal, appointmentTypeId?: number): Promise<DaySlots> {
    return this._request(this.endpoints.availability, `/api/doctors/${doctorId}/slots${query({ date, appointment_type_id: appointmentTypeId })}`, { signal });
  }

  /** The earliest free times across doctors ("first available"), earliest first. */
  availability(filter: AvailabilityQuery, signal?: AbortSignal): Promise<Availability> {
    return this._request(this.endpoints.availability, `/api/availability${query({ ...filter })}`, { signal });
  }

  /** Which days of `month` (`YYYY-MM`, the doctor's clock) have a free time of the type; the default type without one. */
  doctorDays(doctorId: number, month: string, appointmentTypeId: number | undefined, signal?: AbortSignal): Promise<DoctorDays> {
    return this._request(this.endpoints.availability, `/api/doctors/${doctorId}/days${query({ month, appointment_type_id: appointmentTypeId })}`, { signal });
  }

  /**
   * Books a slot. Send the same `idempotencyKey` when retrying the same booking: the server
   * then answers the first booking again instead of making a second.
   */
  async book(request: BookingRequest, idempotencyKey: string, signal?: AbortSignal): Promise<Appointment> {
    const send = (extra: Record<string, string> = {}) =>
      this._request<Appointment>(this.endpoints.createBooking, '/api/appointments', {
        method: 'POST',
        body: request,
        headers: { 'Idempotency-Key': idempotencyKey, ...extra },
        signal,
      });
    try {
      return await send();
    } catch (err) {
      // A clinic under attack asks anonymous bookings for a proof-of-work: solve it (no puzzle
      // for the patient, about a second of hashing) and send the booking once more, same key.
      if (!(err instanceof ApiError) || err.code !== 'challenge_required') throw err;
      const challenge = await this._request<unknown>(this.endpoints.createBooking, '/api/booking-challenge', { signal });
      const { solveBookingChallenge } = await import('./lib/booking-challenge');
      return send({ 'Booking-Challenge': await solveBookingChallenge(challenge, signal) });
    }
  }

  find(reference: string, signal?: AbortSignal): Promise<Appointment> {
    return this._request(this.endpoints.listAppointments, `/api/appointments/${encodeURIComponent(reference)}`, { signal });
  }

  /** Cancelling twice is fine: the second answer is the cancelled appointment again. */
  cancel(reference: string, signal?: AbortSignal): Promise<Appointment> {
    return this._request(this.endpoints.cancelBooking, `/api/appointments/${encodeURIComponent(reference)}`, { method: 'DELETE', signal });
  }

  /** Moves a booking to another of the doctor's free times: same id and reference; 409 keeps the old time. */
  reschedule(reference: string, appointmentTime: string, signal?: AbortSignal): Promise<Appointment> {
    return this._request(this.endpoints.rescheduleBooking, `/api/appointments/${encodeURIComponent(reference)}/reschedule`, {
      method: 'POST',
      body: { appointment_time: appointmentTime },
      signal,
    });
  }

  /** The staff listing; `token` is the staff bearer token. */
  list(token: string, filter: AppointmentFilter, signal?: AbortSignal): Promise<AppointmentPage> {
    const path = `/api/appointments${query({ ...filter })}`;
    return this._request(this.endpoints.listAppointments, path, { headers: { Authorization: `Bearer ${token}` }, signal });
  }

  private async _request<T>(base: string, path: string, options: RequestOptions): Promise<T> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const abort = () => timeout.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(base + path, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: timeout.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw new ApiError(0, 'unreachable', isAbort(err) ? 'The booking service did not answer in time.' : 'The booking service could not be reached.');
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (res.ok && body !== undefined) return body as T;
    // A success without a JSON body is as good as a failed server.
    const status = res.ok ? 502 : res.status;
    const envelope = (body ?? {}) as { error?: unknown; message?: unknown; issues?: unknown };
    const code = typeof envelope.error === 'string' ? envelope.error : status >= 500 ? 'internal' : 'unexpected';
    const message = typeof envelope.message === 'string' ? envelope.message : `The booking service answered ${res.status}.`;
    const issues = Array.isArray(envelope.issues) ? (envelope.issues as FieldIssue[]) : [];
    const retryAfter = Number(res.headers.get('Retry-After'));
    throw new ApiError(status, code, message, issues, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
}

function baseUrl(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value.replace(/\/+$/, '') : '';
  } catch {
    return '';
  }
}

/**
 * The endpoints the page put in its `<script type="application/json" id="booking-config">`
 * block (render-page writes it from its environment); any it leaves out is the page's origin.
 */
export function endpointsFromPage(doc: Document = document): Endpoints {
  let config: { api?: Partial<Record<keyof Endpoints, unknown>> } = {};
  try {
    config = JSON.parse(doc.getElementById('booking-config')?.textContent || '{}');
  } catch {
    // A page without (valid) configuration talks to its own origin.
  }
  const api = config.api ?? {};
  return {
    availability: baseUrl(api.availability),
    createBooking: baseUrl(api.createBooking),
    listAppointments: baseUrl(api.listAppointments),
    cancelBooking: baseUrl(api.cancelBooking),
    rescheduleBooking: baseUrl(api.rescheduleBooking),
    frontDesk: baseUrl(api.frontDesk),
    staffAudit: baseUrl(api.staffAudit),
    adminSchedule: baseUrl(api.adminSchedule),
  };
}

let pageClient: BookingApi | undefined;

/** The client configured by the page, made on first use and shared by every element. */
export function pageApi(): BookingApi {
  pageClient ??= new BookingApi(endpointsFromPage());
  return pageClient;
}
