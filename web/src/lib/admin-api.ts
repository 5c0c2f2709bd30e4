/**
 * A typed client for the admin's schedule API (the `admin-schedule` function, every path for
 * role `admin`). Every write answers with what it changed and `affected`: the booked future
 * appointments the new schedule no longer covers, which the admin must then deal with.
 *
 * The types are the contract's (api/openapi.yaml, generated into ./api-contract.ts). A body
 * field with a default there (slot_minutes, is_default) is optional here, as the server takes it.
 */

import { signedInFetch } from './signed-in-fetch';
import type { components } from './api-contract';

type Schemas = components['schemas'];

/** "HH:MM" on the doctor's wall clock; "24:00" only as an end. */
export type TimeRange = Schemas['AdminTimeRange'];
/** `weekday` is ISO, 1 = Monday. */
export type WeeklyRange = Schemas['AdminWeeklyRange'];
export type AppointmentType = Schemas['AdminAppointmentType'];
/** `ranges` empty: closed all day. */
export type DateOverride = Schemas['AdminOverride'];
/** Instants, UTC. */
export type TimeOff = Schemas['AdminTimeOff'];
/** `horizon_days` null: the deployment's BOOKING_HORIZON_DAYS. */
export type BookingRules = Schemas['BookingRules'];
/** A doctor's own rules; null takes the clinic's. */
export type DoctorRules = Schemas['DoctorRules'];
export type AdminDoctor = Schemas['AdminDoctor'];
export type Holiday = Schemas['Holiday'];
/** A booked appointment outside the new schedule; no patient data. */
export type AffectedAppointment = Schemas['AffectedAppointment'];
export interface Affecting {
  affected: AffectedAppointment[];
}
export type DoctorChange = Schemas['AdminDoctorChange'];
export type NewDoctor = Omit<Schemas['AdminNewDoctor'], 'slot_minutes'> & Partial<Pick<Schemas['AdminNewDoctor'], 'slot_minutes'>>;
export type NewAppointmentType = Omit<Schemas['AdminNewAppointmentType'], 'is_default'> & Partial<Pick<Schemas['AdminNewAppointmentType'], 'is_default'>>;
export type DoctorPatch = Schemas['AdminDoctorPatch'];
export type AppointmentTypePatch = Schemas['AdminAppointmentTypePatch'];
export type NewTimeOff = Schemas['AdminNewTimeOff'];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class AdminApi {
  constructor(
    /** The admin-schedule function's base URL, without a trailing slash; '' is the page's origin. */
    readonly base: string,
    /** The signed-in admin's access token, read at each request (it may be renewed or end). */
    private readonly token: () => string | undefined,
    /** A request with no answer by then counts as unreachable. */
    private readonly timeoutMs = 15_000,
  ) {}

  async doctors(signal?: AbortSignal): Promise<AdminDoctor[]> {
    return (await this._request<{ items: AdminDoctor[] }>('GET', '/api/admin/doctors', undefined, signal)).items;
  }

  doctor(id: number, signal?: AbortSignal): Promise<AdminDoctor> {
    return this._request('GET', `/api/admin/doctors/${id}`, undefined, signal);
  }

  /** The new doctor gets a default type "Appointment" of `slot_minutes`. */
  addDoctor(doctor: NewDoctor): Promise<DoctorChange> {
    return this._request('POST', '/api/admin/doctors', doctor);
  }

  /** `active: false` deactivates (no slots, not listed to patients); nothing is ever deleted. */
  updateDoctor(id: number, patch: DoctorPatch): Promise<DoctorChange> {
    return this._request('PATCH', `/api/admin/doctors/${id}`, patch);
  }

  addAppointmentType(doctorId: number, type: NewAppointmentType): Promise<DoctorChange> {
    return this._request('POST', `/api/admin/doctors/${doctorId}/appointment-types`, type);
  }

  /** Making one type the default un-defaults the other; the default cannot be deactivated (422). */
  updateAppointmentType(typeId: number, patch: AppointmentTypePatch): Promise<DoctorChange> {
    return this._request('PATCH', `/api/admin/appointment-types/${typeId}`, patch);
  }

  /** Replaces the whole week: several ranges on one weekday are the breaks between them. */
  setHours(doctorId: number, hours: WeeklyRange[]): Promise<DoctorChange> {
    return this._request('PUT', `/api/admin/doctors/${doctorId}/hours`, { hours });
  }

  /** Other hours on one date; no ranges closes the day. */
  setOverride(doctorId: number, date: string, ranges: TimeRange[]): Promise<DoctorChange> {
    return this._request('PUT', `/api/admin/doctors/${doctorId}/overrides/${date}`, { ranges });
  }

  removeOverride(doctorId: number, date: string): Promise<DoctorChange> {
    return this._request('DELETE', `/api/admin/doctors/${doctorId}/overrides/${date}`);
  }

  /** `starts_at` and `ends_at` are instants (ISO 8601 with an offset or Z). */
  addTimeOff(doctorId: number, timeOff: NewTimeOff): Promise<DoctorChange> {
    return this._request('POST', `/api/admin/doctors/${doctorId}/time-off`, timeOff);
  }

  removeTimeOff(timeOffId: number): Promise<DoctorChange> {
    return this._request('DELETE', `/api/admin/time-off/${timeOffId}`);
  }

  setDoctorRules(doctorId: number, rules: DoctorRules): Promise<DoctorChange> {
    return this._request('PUT', `/api/admin/doctors/${doctorId}/rules`, rules);
  }

  async holidays(signal?: AbortSignal): Promise<Holiday[]> {
    return (await this._request<{ items: Holiday[] }>('GET', '/api/admin/holidays', undefined, signal)).items;
  }

  /** A holiday closes that date for every doctor. */
  addHoliday(holiday: Holiday): Promise<Affecting & { holiday: Holiday }> {
    return this._request('POST', '/api/admin/holidays', holiday);
  }

  removeHoliday(date: string): Promise<Affecting & { holiday: Holiday }> {
    return this._request('DELETE', `/api/admin/holidays/${date}`);
  }

  rules(signal?: AbortSignal): Promise<BookingRules> {
    return this._request('GET', '/api/admin/rules', undefined, signal);
  }

  setRules(rules: BookingRules): Promise<Affecting & { rules: BookingRules }> {
    return this._request('PUT', '/api/admin/rules', rules);
  }

  private _request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return signedInFetch<T>({ token: this.token(), method, url: this.base + path, body, signal, timeoutMs: this.timeoutMs, service: 'schedule service' });
  }
}
