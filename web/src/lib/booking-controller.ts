import { ApiError, type Appointment, type AppointmentTypeChoice, type AvailableSlot, type BookingApi, type BookingRequest, type DaySlots, type Doctor } from '../api';
import type { Notice } from '../status';
import { addDays, dateIn, formatTime, isDate, localTimeZone } from './time';
import { newIdempotencyKey } from './idempotency';
import { checkDetails, type DetailField } from './patient-details';
import { Remote } from './remote';

import { dayNotice, loadFailure } from './booking-words';

export { appointmentWhen, doctorLabel, lookupFailure, type AppointmentWhen } from './booking-words';

/**
 * What <booking-widget> does, without the DOM: choosing a doctor, a day and a slot, checking
 * the patient's details, booking under an Idempotency-Key, and the words for every outcome.
 * The elements render its state and turn its focus requests into focus; this module runs as
 * well in Node against the real API (test/web/booking-controller.test.ts). Its words are in
 * booking-words.ts, the checks of the patient's details in patient-details.ts.
 */

/** `detail` of `booking-confirmed` and `booking-cancelled`. */
export interface BookingEventDetail {
  appointment: Appointment;
}

export type { DetailField } from './patient-details';

/** Where the keyboard focus should go next, once the state that shows it is rendered. */
export type FocusTarget = DetailField | 'doctor' | 'date' | 'first-free-slot' | 'status' | 'confirmation';

export interface BookingHost {
  /** The state changed: render again. */
  changed(): void;
  focus(target: FocusTarget): void;
  /** A booking was made (after `changed` and `focus` for the confirmation). */
  booked(appointment: Appointment): void;
}

export interface BookingControllerOptions {
  /** The patient's IANA zone; the runtime's by default. */
  patientZone?: string;
  /** Makes the Idempotency-Key of each new booking attempt. */
  newKey?: () => string;
  /** Waits before asking again about a booking still in flight. */
  sleep?: (ms: number) => Promise<void>;
}

/** How often a booking that the server says is still in flight is asked about again. */
const inFlightRetries = 5;

const noDoctors: readonly Doctor[] = Object.freeze([]);
const noDetails: Readonly<Record<DetailField, string>> = Object.freeze({ patient_name: '', patient_email: '', patient_phone: '' });

/**
 * The booking side of the widget. Read its state through the getters and change it through
 * the methods; each change calls `host.changed()`. Methods that load or book return a promise
 * that settles when they are done (never rejecting: failures become the `notice`).
 */
export class BookingController {
  /** The client to talk to; call `load()` after changing it. */
  api: BookingApi;
  /** BCP 47 locale for the dates and times in messages; the runtime's when unset. */
  locale?: string;
  readonly patientZone: string;

  private readonly _doctors: Remote<Doctor[]>;
  private readonly _slots: Remote<DaySlots>;
  private _doctorId?: number;
  /** The type the patient picked; undefined means the doctor's default. */
  private _typeId?: number;
  private _date: string;
  private _slotStart?: string;
  private _details: Record<DetailField, string> = { ...noDetails };
  private _fieldErrors: Partial<Record<DetailField, string>> = {};
  private _booking = false;
  private _booked?: Appointment;
  private _notice?: Notice;
  /** The booking being attempted and its key: the same body is retried under the same key. */
  private _attempt?: { body: string; key: string };
  private readonly _newKey: () => string;
  private readonly _sleep: (ms: number) => Promise<void>;

  constructor(
    api: BookingApi,
    private readonly _host: BookingHost,
    options: BookingControllerOptions = {},
  ) {
    this.api = api;
    this.patientZone = options.patientZone ?? localTimeZone();
    this._date = dateIn(this.patientZone);
    this._newKey = options.newKey ?? newIdempotencyKey;
    this._sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const changed = () => this._host.changed();
    this._doctors = new Remote(changed);
    this._slots = new Remote(changed);
  }

  /** The doctors to choose from; empty until they are loaded. */
  get doctors(): readonly Doctor[] {
    return this._doctors.value ?? noDoctors;
  }

  get doctorId(): number | undefined {
    return this._doctorId;
  }

  get doctor(): Doctor | undefined {
    return this.findDoctor(this._doctorId);
  }

  /** The chosen doctor's appointment types, default first; empty while unknown. */
  get appointmentTypes(): readonly AppointmentTypeChoice[] {
    return this.doctor?.appointment_types ?? [];
  }

  /** The type to book: the one picked, else the doctor's default (undefined while the types are unknown). */
  get appointmentType(): AppointmentTypeChoice | undefined {
    const types = this.appointmentTypes;
    return types.find((t) => t.id === this._typeId) ?? types.find((t) => t.is_default) ?? types[0];
  }

  /** The type the patient picked themselves, by id, if they did (the default is no choice). */
  get pickedTypeId(): number | undefined {
    return this._typeId;
  }

  /** The chosen calendar day, on the doctor's clock (`YYYY-MM-DD`, or half-typed). */
  get date(): string {
    return this._date;
  }

  /** The chosen day's slots once loaded; the last ones stay while they are refreshed. */
  get day(): DaySlots | undefined {
    const day = this._slots.value;
    const typeId = this.appointmentType?.id;
    return day && day.doctor_id === this._doctorId && day.date === this._date && (typeId === undefined || day.appointment_type_id === typeId) ? day : undefined;
  }

  /** The chosen slot's start, as the API gave it. */
  get slotStart(): string | undefined {
    return this._slotStart;
  }

  get details(): Readonly<Record<DetailField, string>> {
    return this._details;
  }

  get fieldErrors(): Readonly<Partial<Record<DetailField, string>>> {
    return this._fieldErrors;
  }

  /** A booking request is on its way. */
  get booking(): boolean {
    return this._booking;
  }

  /** The appointment just booked, while its confirmation is on show. */
  get booked(): Appointment | undefined {
    return this._booked;
  }

  /** What the status region says: the last thing that happened, or else what is loading or failed to. */
  get notice(): Notice | undefined {
    return this._notice ?? this._loadingNotice();
  }

  findDoctor(id: number | undefined): Doctor | undefined {
    return this._doctors.value?.find((d) => d.id === id);
  }

  /** Loads what the current choice needs (the doctors, the chosen day) unless it is loaded already. */
  load(): Promise<void> {
    return Promise.all([this._doctors.sync([this.api], (signal) => this.api.doctors(signal)), this._syncDay()]).then(() => undefined);
  }

  chooseDoctor(id: number | undefined): Promise<void> {
    this._doctorId = id;
    this._typeId = undefined;
    return this._choiceChanged();
  }

  chooseType(id: number | undefined): Promise<void> {
    this._typeId = id;
    return this._choiceChanged();
  }

  /**
   * Takes one of the earliest free times ("first available"): its doctor, type, day and time
   * are chosen at once, and the focus goes to the patient's details once that day is shown.
   */
  async chooseOffer(offer: AvailableSlot): Promise<void> {
    this._doctorId = offer.doctor_id;
    this._typeId = offer.appointment_type_id;
    this._date = dateIn(offer.timezone, new Date(offer.start));
    const loaded = this._choiceChanged();
    this._slotStart = offer.start;
    this._host.changed();
    await loaded;
    this._host.focus(this.day?.slots.some((s) => s.start === offer.start && s.available) ? 'patient_name' : 'status');
  }

  chooseDate(date: string): Promise<void> {
    this._date = date;
    return this._choiceChanged();
  }

  /** Shows the next day, for a day with no free time left. */
  nextDay(): Promise<void> {
    this._date = addDays(this._date, 1);
    const loaded = this._choiceChanged();
    this._host.focus('date');
    return loaded;
  }

  chooseSlot(start: string): void {
    this._slotStart = start;
    this._notice = undefined;
    this._host.changed();
  }

  setDetail(field: DetailField, value: string): void {
    this._details = { ...this._details, [field]: value };
    if (this._fieldErrors[field]) this._fieldErrors = { ...this._fieldErrors, [field]: undefined };
    this._host.changed();
  }

  /** Says something in the status region, such as the outcome of copying the reference. */
  announce(notice: Notice | undefined): void {
    this._notice = notice;
    this._host.changed();
  }

  /**
   * Books the chosen slot for the details given, once they pass the same checks as the API.
   * The Idempotency-Key is kept until the booking succeeds or fails for good, so submitting
   * the same booking again (a double click, a retry) cannot book twice.
   */
  submit(): Promise<void> {
    if (this._booking) return Promise.resolve();
    const request = this._validate();
    if (!request) return Promise.resolve();
    const body = JSON.stringify(request);
    if (this._attempt?.body !== body) this._attempt = { body, key: this._newKey() };
    return this._book(request, this._attempt.key);
  }

  /** Leaves the confirmation for a fresh booking form with fresh times. */
  bookAnother(): Promise<void> {
    this._booked = undefined;
    this._notice = undefined;
    const loaded = this._reloadDay();
    this._host.focus('doctor');
    return loaded;
  }

  /** A booking was cancelled elsewhere: its time shows as free again if it is on show. */
  cancelled(appointment: Appointment): Promise<void> {
    return appointment.doctor_id === this._doctorId ? this._reloadDay() : Promise.resolve();
  }

  private _choiceChanged(): Promise<void> {
    this._slotStart = undefined;
    this._notice = undefined;
    const loaded = this._syncDay();
    this._host.changed();
    return loaded;
  }

  /** What the chosen day's slots depend on, and how to load them. */
  private _dayRequest(): [readonly unknown[], (signal: AbortSignal) => Promise<DaySlots> | undefined] {
    // Only a type the patient picked is named: without one the API answers the default's.
    const [doctorId, date, typeId] = [this._doctorId, this._date, this._typeId];
    return [[this.api, doctorId, date, typeId], (signal) => (doctorId !== undefined && isDate(date) ? this.api.slots(doctorId, date, signal, typeId) : undefined)];
  }

  private _syncDay(): Promise<void> {
    return this._slots.sync(...this._dayRequest());
  }

  private _reloadDay(): Promise<void> {
    return this._slots.run(...this._dayRequest());
  }

  private _reloadDoctors(): Promise<void> {
    return this._doctors.run([this.api], (signal) => this.api.doctors(signal));
  }

  private _loadingNotice(): Notice | undefined {
    const doctors = this._doctors;
    if (doctors.status === 'pending') return { tone: 'info', text: 'Loading the list of doctors…' };
    if (doctors.status === 'error') return loadFailure(doctors.error, 'load the list of doctors', () => void this._reloadDoctors());
    if (this._booked) return undefined;
    const slots = this._slots;
    switch (slots.status) {
      case 'initial':
        return {
          tone: 'info',
          text: this._doctorId === undefined ? 'Choose a doctor and a date to see the times you can book.' : 'Choose a date to see the times you can book.',
        };
      case 'pending':
        return { tone: 'info', text: 'Looking up times…' };
      case 'error':
        return loadFailure(slots.error, 'load the times for this day', () => void this._reloadDay());
    }
    const day = slots.value!;
    return dayNotice(day, this.findDoctor(day.doctor_id), this.locale);
  }

  private _validate(): BookingRequest | undefined {
    const { name, email, phone, errors } = checkDetails(this._details);
    this._fieldErrors = errors;
    const first = Object.keys(errors)[0] as DetailField | undefined;
    if (first) {
      this._notice = { tone: 'error', text: 'Please check your details below.' };
      this._host.changed();
      this._host.focus(first);
      return undefined;
    }
    if (this._doctorId === undefined || !this._slotStart) {
      this._notice = { tone: 'warning', text: 'Choose a time first.' };
      this._host.changed();
      this._host.focus('first-free-slot');
      return undefined;
    }
    const request: BookingRequest = { patient_name: name, doctor_id: this._doctorId, appointment_time: this._slotStart };
    // As for the slots: the default type goes unnamed, so a retry of an older body is the same body.
    if (this._typeId !== undefined) request.appointment_type_id = this._typeId;
    if (email) request.patient_email = email;
    if (phone) request.patient_phone = phone;
    return request;
  }

  private async _book(request: BookingRequest, key: string): Promise<void> {
    this._booking = true;
    this._notice = { tone: 'info', text: 'Booking…' };
    this._host.changed();
    try {
      let appointment: Appointment | undefined;
      for (let tries = 0; !appointment; tries++) {
        try {
          appointment = await this.api.book(request, key);
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'request_in_progress' || tries >= inFlightRetries) throw err;
          await this._sleep((err.retryAfterSeconds ?? 1) * 1000);
        }
      }
      this._attempt = undefined;
      this._booked = appointment;
      this._notice = { tone: 'success', text: 'Your appointment is booked.', quiet: true };
      this._details = { ...noDetails };
      this._slotStart = undefined;
      this._booking = false;
      this._host.changed();
      this._host.focus('confirmation');
      this._host.booked(appointment);
    } catch (err) {
      this._booking = false;
      this._bookingFailed(err, request, key);
    }
  }

  private _bookingFailed(err: unknown, request: BookingRequest, key: string): void {
    const error = err instanceof ApiError ? err : new ApiError(0, 'unreachable', String(err));
    const focus = (target: FocusTarget) => {
      this._host.changed();
      this._host.focus(target);
    };
    if (error.unavailable) {
      // The booking may or may not have been made: trying again with the same key tells.
      this._notice = {
        tone: 'error',
        text: "We couldn't confirm your booking: the booking service isn't answering. Try again when you're ready; you won't be booked twice.",
        action: { label: 'Try again', run: () => void this._book(request, key) },
      };
      return focus('status');
    }
    this._attempt = undefined;
    if (error.code === 'slot_taken' || error.code === 'not_bookable') {
      const when = formatTime(request.appointment_time, this._slots.value?.timezone ?? this.patientZone, this.locale);
      this._notice = {
        tone: 'warning',
        text:
          error.code === 'slot_taken'
            ? `Sorry, ${when} was just taken by someone else. The times below are up to date: please choose another.`
            : `${when} can no longer be booked. ${error.message} The times below are up to date: please choose another.`,
      };
      this._slotStart = undefined;
      void this._reloadDay();
      return focus('status');
    }
    if (error.code === 'invalid_request' && error.issues.length > 0) {
      const fields: Partial<Record<DetailField, string>> = {};
      for (const issue of error.issues) {
        if (issue.path === 'patient_name' || issue.path === 'patient_email' || issue.path === 'patient_phone') fields[issue.path] = `This ${issue.message}.`;
      }
      this._fieldErrors = fields;
      const first = Object.keys(fields)[0] as DetailField | undefined;
      this._notice = { tone: 'error', text: first ? 'Please check your details below.' : error.message };
      return focus(first ?? 'status');
    }
    this._notice = { tone: 'error', text: error.message };
    if (error.code === 'not_found') void this._reloadDoctors();
    focus('status');
  }
}
