/**
 * A typed client for the admin's schedule API (the `admin-schedule` function, every path for
 * role `admin`). Every write answers with what it changed and `affected`: the booked future
 * appointments the new schedule no longer covers, which the admin must then deal with.
 *
 * The types are local until helper A's paths land in api/openapi.yaml (and so in
 * ./api-contract.ts); they follow that spec field for field.
 */

import { ApiError, type FieldIssue } from '../api';

export interface TimeRange {
  /** "HH:MM" on the doctor's wall clock; "24:00" only as an end. */
  starts_at: string;
  ends_at: string;
}
export interface WeeklyRange extends TimeRange {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
}
export interface AppointmentType {
  id: number;
  name: string;
  minutes: number;
  is_default: boolean;
  active: boolean;
}
export interface DateOverride {
  date: string;
  /** Empty: closed all day. */
  ranges: TimeRange[];
}
export interface TimeOff {
  id: number;
  /** Instants, UTC. */
  starts_at: string;
  ends_at: string;
  reason: string | null;
}
export interface BookingRules {
  min_notice_minutes: number;
  /** null: the deployment's BOOKING_HORIZON_DAYS. */
  horizon_days: number | null;
  cancel_cutoff_minutes: number;
  reschedule_cutoff_minutes: number;
}
/** A doctor's own rules; null takes the clinic's. */
export type DoctorRules = { [K in keyof BookingRules]: number | null };
export interface AdminDoctor {
  id: number;
  name: string;
  specialty: string;
  timezone: string;
  slot_minutes: number;
  active: boolean;
  appointment_types: AppointmentType[];
  hours: WeeklyRange[];
  overrides: DateOverride[];
  time_off: TimeOff[];
  rules: DoctorRules;
}
export interface Holiday {
  date: string;
  name: string;
}
/** A booked appointment outside the new schedule; no patient data. */
export interface AffectedAppointment {
  id: number;
  doctor_id: number;
  start: string;
  end: string;
}
export interface Affecting {
  affected: AffectedAppointment[];
}
export interface DoctorChange extends Affecting {
  doctor: AdminDoctor;
}
export interface NewDoctor {
  name: string;
  specialty: string;
  timezone: string;
  slot_minutes?: number;
}
export type DoctorPatch = Partial<Pick<AdminDoctor, 'name' | 'specialty' | 'timezone' | 'active'>>;
export type AppointmentTypePatch = Partial<Omit<AppointmentType, 'id'>>;

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

  addAppointmentType(doctorId: number, type: { name: string; minutes: number; is_default?: boolean }): Promise<DoctorChange> {
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
  addTimeOff(doctorId: number, timeOff: { starts_at: string; ends_at: string; reason?: string }): Promise<DoctorChange> {
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

  private async _request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const token = this.token();
    if (!token) throw new ApiError(401, 'unauthorized', 'Your sign-in has ended. Sign in again.');
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const abort = () => timeout.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: timeout.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const late = (err as { name?: string })?.name === 'AbortError';
      throw new ApiError(0, 'unreachable', late ? 'The schedule service did not answer in time.' : 'The schedule service could not be reached.');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
    const answer: unknown = await res.json().catch(() => undefined);
    if (res.ok && answer !== undefined) return answer as T;
    // A success without a JSON body is as good as a failed server.
    const status = res.ok ? 502 : res.status;
    const envelope = (answer ?? {}) as { error?: unknown; message?: unknown; issues?: unknown };
    const code = typeof envelope.error === 'string' ? envelope.error : status >= 500 ? 'internal' : 'unexpected';
    const message = typeof envelope.message === 'string' ? envelope.message : `The schedule service answered ${res.status}.`;
    throw new ApiError(status, code, message, Array.isArray(envelope.issues) ? (envelope.issues as FieldIssue[]) : []);
  }
}
