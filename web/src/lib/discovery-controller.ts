import { ApiError, type Availability, type AvailableSlot, type Doctor, type DoctorDays } from '../api';
import { unavailableText, type Notice } from '../status';
import type { BookingController } from './booking-controller';
import { isMonth, monthOf } from './calendar';
import { dateIn, isDate } from './time';
import { Remote } from './remote';

/**
 * How a patient finds what to book before choosing a time, without the DOM: a specialty that
 * narrows the doctors, the month calendar's bookable days for the chosen doctor and type, and
 * "first available", the earliest free times across doctors. It reads and drives the
 * BookingController beside it (the doctor, type, day and slot are the booking's), and speaks
 * through the booking's status region, so the patient hears one voice.
 */

export interface DiscoveryHost {
  /** The state changed: render again. */
  changed(): void;
}

/** How many of the earliest times "first available" offers. */
const offerLimit = 6;

export class DiscoveryController {
  /** '' is every specialty. */
  private _specialty = '';
  /** The month the patient moved the calendar to, and the chosen day when they did. */
  private _month?: string;
  private _monthDate?: string;
  private readonly _days: Remote<DoctorDays>;
  private readonly _offers: Remote<Availability>;
  private _offersShown = false;

  constructor(
    private readonly _booking: BookingController,
    private readonly _host: DiscoveryHost,
  ) {
    const changed = () => this._host.changed();
    this._days = new Remote(changed);
    this._offers = new Remote(changed);
  }

  get specialty(): string {
    return this._specialty;
  }

  /** Every specialty among the doctors, in alphabetical order. */
  get specialties(): string[] {
    return [...new Set(this._booking.doctors.map((d) => d.specialty))].sort((a, b) => a.localeCompare(b));
  }

  /** The doctors of the chosen specialty (all of them for every specialty). */
  get doctors(): readonly Doctor[] {
    const wanted = this._specialty.toLowerCase();
    return wanted ? this._booking.doctors.filter((d) => d.specialty.toLowerCase() === wanted) : this._booking.doctors;
  }

  /**
   * The month the calendar shows: the chosen day's, unless the patient has moved the calendar
   * since that day was chosen; with no valid day chosen, where it was (this month at first).
   */
  get month(): string {
    const date = this._booking.date;
    // Read on every render: a day chosen since the last one (even half-typed) ends the patient's own move.
    if (this._monthDate !== date) {
      if (isDate(date)) this._month = monthOf(date);
      this._monthDate = date;
    }
    this._month ??= monthOf(dateIn(this._booking.patientZone));
    return this._month;
  }

  /** The bookable days of the month on show, for the chosen doctor and type, once loaded. */
  get days(): DoctorDays | undefined {
    const days = this._days.value;
    const doctorId = this._booking.doctorId;
    const typeId = this._booking.appointmentType?.id;
    return days && days.doctor_id === doctorId && days.month === this.month && (typeId === undefined || days.appointment_type_id === typeId) ? days : undefined;
  }

  /** The bookable days could not be loaded (the date field still works). */
  get daysFailed(): boolean {
    return this._days.status === 'error';
  }

  /** The earliest free times, while they are on show. */
  get offers(): readonly AvailableSlot[] | undefined {
    return this._offersShown && this._offers.status === 'complete' ? this._offers.value?.items : undefined;
  }

  /** "first available" is being looked up. */
  get finding(): boolean {
    return this._offersShown && this._offers.status === 'pending';
  }

  /** Loads the calendar's days for the current choice unless they are loaded already. */
  load(): Promise<void> {
    return this._days.sync(...this._daysRequest());
  }

  reloadDays(): Promise<void> {
    return this._days.run(...this._daysRequest());
  }

  /** Narrows the doctors; a chosen doctor of another specialty is no longer chosen. */
  chooseSpecialty(specialty: string): Promise<void> {
    this._specialty = specialty;
    this._offersShown = false;
    const doctor = this._booking.doctor;
    if (doctor && specialty && doctor.specialty.toLowerCase() !== specialty.toLowerCase()) return this._booking.chooseDoctor(undefined);
    this._host.changed();
    return Promise.resolve();
  }

  showMonth(month: string): Promise<void> {
    if (!isMonth(month)) return Promise.resolve();
    [this._month, this._monthDate] = [month, this._booking.date];
    this._host.changed();
    return this.load();
  }

  /** Looks up the earliest free times of the chosen specialty (and type, if the patient picked one) across doctors. */
  async findFirst(): Promise<void> {
    this._offersShown = true;
    const filter = { specialty: this._specialty || undefined, appointment_type: this._booking.pickedTypeId !== undefined ? this._booking.appointmentType?.name : undefined, limit: offerLimit };
    this._booking.announce({ tone: 'info', text: 'Looking for the earliest free times…' });
    await this._offers.run([this._booking.api, filter], (signal) => this._booking.api.availability(filter, signal));
    if (!this._offersShown) return;
    this._booking.announce(this._offersNotice());
  }

  /** Takes one of the earliest times: its doctor, type, day and time, then the patient's details. */
  chooseOffer(offer: AvailableSlot): Promise<void> {
    this._offersShown = false;
    return this._booking.chooseOffer(offer);
  }

  closeOffers(): void {
    this._offersShown = false;
    this._booking.announce(undefined);
  }

  private _offersNotice(): Notice {
    const where = this._specialty ? ` in ${this._specialty}` : '';
    if (this._offers.status === 'error') {
      const error = this._offers.error;
      if (error instanceof ApiError && !error.unavailable) return { tone: 'error', text: error.message };
      return { tone: 'error', text: unavailableText('find the earliest free times'), action: { label: 'Try again', run: () => void this.findFirst() } };
    }
    const items = this._offers.value?.items ?? [];
    if (items.length === 0) return { tone: 'info', text: `No free times${where} in the next two weeks. Choose a doctor and look further ahead in the calendar.` };
    const doctors = new Set(items.map((i) => i.doctor_id)).size;
    return {
      tone: 'info',
      text: `The ${items.length} earliest free ${items.length === 1 ? 'time' : 'times'}${where}, with ${doctors} ${doctors === 1 ? 'doctor' : 'doctors'}. Choose one to book it.`,
    };
  }

  private _daysRequest(): [readonly unknown[], (signal: AbortSignal) => Promise<DoctorDays> | undefined] {
    const api = this._booking.api;
    const doctorId = this._booking.doctorId;
    // As for the slots, only a type the patient picked is named.
    const typeId = this._booking.pickedTypeId;
    const month = this.month;
    return [[api, doctorId, typeId, month], (signal) => (doctorId !== undefined ? api.doctorDays(doctorId, month, typeId, signal) : undefined)];
  }
}
