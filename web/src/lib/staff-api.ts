/**
 * A typed client for the staff page's own calls: one appointment as staff see it, the front
 * desk's visit statuses and notes, the audit trail, and a booking made for a patient. Every
 * call carries the signed-in person's bearer token, read at each request (it may end), and
 * goes to its function's base URL (each is its own Knative Service). Types are the contract's.
 */

import { endpointsFromPage, type Appointment, type BookingRequest, type Endpoints } from '../api';
import { signedInFetch } from './signed-in-fetch';
import type { components, operations } from './api-contract';

type Schemas = components['schemas'];

export type StaffAppointment = Schemas['StaffAppointment'];
export type VisitAppointment = Schemas['VisitAppointment'];
export type StatusChange = Schemas['StatusChange'];
export type StaffNote = Schemas['StaffNote'];
export type StaffAuditPage = Schemas['StaffAuditPage'];
export type StaffAuditEntry = StaffAuditPage['items'][number];
export type StaffMe = Schemas['StaffMe'];
/** GET /api/audit's filters: `from` inclusive, `to` exclusive, both instants. */
export type AuditFilter = NonNullable<operations['listStaffAudit']['parameters']['query']>;

/**
 * What the page offers a signed-in person. GET /api/staff/me says `list`, `contact` and
 * `audit`; the rest mirrors the permission table of functions/core/identity.ts by role,
 * because /me has no flag for them yet. The server checks every request either way: a button
 * shown by mistake only meets a 403.
 */
export interface StaffOffer {
  /** Check-in, seen, did not attend, and internal notes (appointments:visit). */
  visit: boolean;
  /** Book and cancel on a patient's behalf (appointments:front-desk). */
  frontDesk: boolean;
  audit: boolean;
  /** The clinic's schedule (schedule:manage). */
  schedule: boolean;
}

export function offerFor(me: { roles: readonly string[]; may: { audit: boolean } }): StaffOffer {
  const has = (...roles: string[]) => me.roles.some((role) => roles.includes(role));
  return { visit: has('reception', 'clinician'), frontDesk: has('reception'), audit: me.may.audit, schedule: has('admin') };
}

/** A status change the front desk may make from `status`, in the words of the desk. */
export interface StatusAction {
  status: StatusChange['status'];
  label: string;
  /** Cancelling on a patient's behalf needs a reason, kept as an internal note. */
  needsReason: boolean;
}

/**
 * The changes a visit allows from where it is (migration 005's trigger is the authority:
 * booked → arrived → completed, booked → no_show, booked → cancelled), limited to what the
 * person may do.
 */
export function statusActions(status: string, offer: StaffOffer): StatusAction[] {
  const actions: StatusAction[] = [];
  if (status === 'booked' && offer.visit) actions.push({ status: 'arrived', label: 'Arrived', needsReason: false }, { status: 'no_show', label: 'Did not attend', needsReason: false });
  if (status === 'booked' && offer.frontDesk) actions.push({ status: 'cancelled', label: 'Cancel appointment', needsReason: true });
  if (status === 'arrived' && offer.visit) actions.push({ status: 'completed', label: 'Seen', needsReason: false });
  return actions;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export class StaffApi {
  constructor(
    /** The signed-in person's access token, read at each request; undefined once signed out. */
    private readonly token: () => string | undefined,
    readonly endpoints: Endpoints = endpointsFromPage(),
    /** A request with no answer by then counts as unreachable. */
    private readonly timeoutMs = 15_000,
  ) {}

  /** One appointment, with the patient's contact for the roles that may see it. */
  appointment(id: number, signal?: AbortSignal): Promise<StaffAppointment> {
    return this._request(this.endpoints.listAppointments, 'GET', `/api/staff/appointments/${id}`, undefined, signal);
  }

  changeStatus(id: number, change: StatusChange): Promise<VisitAppointment> {
    return this._request(this.endpoints.frontDesk, 'POST', `/api/staff/appointments/${id}/status`, change);
  }

  async notes(id: number, signal?: AbortSignal): Promise<StaffNote[]> {
    return (await this._request<{ items: StaffNote[] }>(this.endpoints.frontDesk, 'GET', `/api/staff/appointments/${id}/notes`, undefined, signal)).items;
  }

  addNote(id: number, body: string): Promise<StaffNote> {
    return this._request(this.endpoints.frontDesk, 'POST', `/api/staff/appointments/${id}/notes`, { body });
  }

  audit(filter: AuditFilter, signal?: AbortSignal): Promise<StaffAuditPage> {
    return this._request(this.endpoints.staffAudit, 'GET', `/api/audit${query({ ...filter })}`, undefined, signal);
  }

  /**
   * Books for a patient as the signed-in person (on their audit trail, outside the anonymous
   * limits). The same `idempotencyKey` on a retry answers the first booking again.
   */
  bookForPatient(request: BookingRequest, idempotencyKey: string): Promise<Appointment> {
    return this._request(this.endpoints.createBooking, 'POST', '/api/appointments', request, undefined, { 'Idempotency-Key': idempotencyKey });
  }

  private _request<T>(base: string, method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<T> {
    return signedInFetch<T>({ token: this.token(), method, url: base + path, body, signal, timeoutMs: this.timeoutMs, service: 'booking service', headers: extra });
  }
}
