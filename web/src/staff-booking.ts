import { Task } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, pageApi, type Appointment, type BookingApi, type BookingRequest, type Doctor } from './api';
import { newIdempotencyKey } from './lib/idempotency';
import { StaffApi } from './lib/staff-api';
import { dateIn, formatDate, formatTime, isDate } from './lib/time';
import { renderStatus, unavailableText, type Notice } from './status';
import { staffStyles } from './staff-styles';
import { sharedStyles } from './styles';

export interface StaffBookedDetail {
  id: number;
  doctor_id: number;
}

/**
 * The front desk books for a patient on the phone or at the desk: a doctor, a day on that
 * doctor's clock, one of its free times, and the patient's name with a phone or an e-mail.
 * The booking goes out with the signed-in person's token, so it is theirs on the audit trail
 * and outside the limits for anonymous clients. The reference it answers is shown once, to
 * read out to the patient; the page keeps it nowhere.
 *
 * @fires staff-booked - after a booking, so the listing can show it
 * @csspart button - buttons
 * @csspart input - inputs and selects
 */
@customElement('staff-booking')
export class StaffBooking extends LitElement {
  static styles = [sharedStyles, staffStyles];

  /** The client with the signed-in person's token. */
  @property({ attribute: false }) api?: StaffApi;

  /** The public client, for doctors and free times. */
  @property({ attribute: false }) bookingApi: BookingApi = pageApi();

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _doctorId = '';
  @state() private _date = '';
  @state() private _slot = '';
  @state() private _notice?: Notice;
  @state() private _busy = false;
  @state() private _booked?: Appointment;
  @state() private _issues: Record<string, string> = {};
  /** One key per booking being made, so a retry after a lost answer books once. */
  private _idempotencyKey = newIdempotencyKey();

  private _doctors = new Task(this, {
    task: ([api], { signal }) => api.doctors(signal),
    args: () => [this.bookingApi] as const,
  });

  private _slots = new Task(this, {
    task: ([api, doctorId, date], { signal }) => (doctorId && isDate(date) ? api.slots(Number(doctorId), date, signal) : Promise.resolve(undefined)),
    args: () => [this.bookingApi, this._doctorId, this._date] as const,
  });

  render() {
    const doctors = this._doctors.value ?? [];
    const doctor = doctors.find((d) => String(d.id) === this._doctorId);
    return html`
      <form novalidate @submit=${this._onBook} aria-labelledby="book-heading">
        <h3 id="book-heading">Book for a patient</h3>
        <div class="filters">
          <div class="field">
            <label for="book-doctor">Doctor</label>
            <select id="book-doctor" part="input" @change=${this._onDoctor} aria-invalid=${this._issues.doctor_id ? 'true' : 'false'}>
              <option value="">Choose a doctor</option>
              ${doctors.map((d) => html`<option value=${d.id} ?selected=${String(d.id) === this._doctorId}>${d.name} (${d.specialty})</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="book-date">Day</label>
            <input id="book-date" type="date" part="input" .value=${this._date} @change=${this._onDate} aria-describedby="book-date-hint" />
          </div>
          <div class="field">
            <label for="book-slot">Free time</label>
            <select id="book-slot" part="input" @change=${this._onSlot} aria-describedby="book-slot-hint" aria-invalid=${this._issues.appointment_time ? 'true' : 'false'}>
              ${this._renderSlotOptions(doctor)}
            </select>
          </div>
        </div>
        <p id="book-date-hint" class="hint">Days and times are on the doctor's clock${doctor ? ` (${doctor.timezone})` : ''}.</p>
        <p id="book-slot-hint" class="visually-hidden">Choose a doctor and a day first.</p>
        <div class="filters">
          ${this._field('patient_name', 'book-name', 'Patient name', 'text')}
          ${this._field('patient_phone', 'book-phone', 'Phone', 'tel')}
          ${this._field('patient_email', 'book-email', 'E-mail', 'email')}
        </div>
        <p class="hint">A phone number or an e-mail address, or both: how the clinic reaches the patient.</p>
        <div class="actions">
          <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Book appointment</button>
        </div>
      </form>
      ${renderStatus('book-status', this._notice)}
      ${this._booked ? this._renderBooked(this._booked, doctor) : nothing}
    `;
  }

  /** The patient's details are someone else's: the browser must not offer the staff member's own. */
  private _field(name: keyof BookingRequest, id: string, label: string, type: string) {
    const issue = this._issues[name];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} name=${name} type=${type} part="input" autocomplete="off" aria-invalid=${issue ? 'true' : 'false'} aria-describedby=${issue ? `${id}-error` : nothing} />
      ${issue ? html`<p id="${id}-error" class="field-error">${issue}</p>` : nothing}
    </div>`;
  }

  private _renderSlotOptions(doctor: Doctor | undefined) {
    if (!doctor || !isDate(this._date)) return html`<option value="">Choose a doctor and a day</option>`;
    return this._slots.render({
      pending: () => html`<option value="">Loading free times…</option>`,
      error: () => html`<option value="">Free times could not be loaded</option>`,
      complete: (day) => {
        const free = (day?.slots ?? []).filter((s) => s.available);
        if (free.length === 0) return html`<option value="">No free time that day</option>`;
        return html`<option value="">Choose a time</option>
          ${free.map((s) => html`<option value=${s.start} ?selected=${s.start === this._slot}>${formatTime(s.start, doctor.timezone, this.locale)}</option>`)}`;
      },
    });
  }

  private _renderBooked(a: Appointment, doctor: Doctor | undefined) {
    const zone = doctor?.timezone ?? 'UTC';
    return html`<section class="subpanel" aria-labelledby="booked-heading">
      <h4 id="booked-heading">Booked</h4>
      <dl>
        <dt>Patient</dt>
        <dd>${a.patient_name}</dd>
        <dt>When</dt>
        <dd>${formatDate(dateIn(zone, new Date(a.appointment_time)), this.locale)}, ${formatTime(a.appointment_time, zone, this.locale)}</dd>
        <dt>Reference</dt>
        <dd><code id="booked-reference">${a.reference}</code></dd>
      </dl>
      <p class="hint">Read the reference to the patient: it is their key to look up and cancel the booking. It is not shown again.</p>
    </section>`;
  }

  private _onDoctor(e: Event): void {
    this._doctorId = (e.target as HTMLSelectElement).value;
    this._slot = '';
    if (this._doctorId && !this._date) {
      const zone = this._doctors.value?.find((d) => String(d.id) === this._doctorId)?.timezone ?? 'UTC';
      this._date = dateIn(zone);
    }
  }

  private _onDate(e: Event): void {
    this._date = (e.target as HTMLInputElement).value;
    this._slot = '';
  }

  private _onSlot(e: Event): void {
    this._slot = (e.target as HTMLSelectElement).value;
  }

  private _value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
  }

  private async _onBook(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.api || this._busy) return;
    const name = this._value('book-name');
    const phone = this._value('book-phone');
    const email = this._value('book-email');
    const issues: Record<string, string> = {};
    if (!this._doctorId) issues.doctor_id = 'Choose a doctor.';
    if (!this._slot) issues.appointment_time = 'Choose a free time.';
    if (!name) issues.patient_name = "Enter the patient's name.";
    if (!phone && !email) issues.patient_phone = 'Enter a phone number or an e-mail address.';
    this._issues = issues;
    if (Object.keys(issues).length) {
      this._notice = { tone: 'error', text: Object.values(issues).join(' ') };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this._busy = true;
    this._notice = { tone: 'info', text: 'Booking…' };
    try {
      const request: BookingRequest = { patient_name: name, doctor_id: Number(this._doctorId), appointment_time: this._slot, patient_phone: phone || null, patient_email: email || null };
      const booked = await this.api.bookForPatient(request, this._idempotencyKey);
      this._idempotencyKey = newIdempotencyKey();
      this._booked = booked;
      this._notice = { tone: 'success', text: `Booked ${booked.patient_name}. Reference ${booked.reference}.` };
      for (const id of ['book-name', 'book-phone', 'book-email']) this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!.value = '';
      this._slot = '';
      void this._slots.run();
      this.dispatchEvent(new CustomEvent<StaffBookedDetail>('staff-booked', { detail: { id: booked.id, doctor_id: booked.doctor_id }, bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'slot_taken') void this._slots.run();
      if (err instanceof ApiError && !err.unavailable) {
        this._issues = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
        this._notice = { tone: 'error', text: err.message };
      } else {
        this._notice = { tone: 'error', text: unavailableText('make the booking') };
      }
    } finally {
      this._busy = false;
    }
    this.renderRoot.querySelector<HTMLElement>('#book-status')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-booking': StaffBooking;
  }
}
