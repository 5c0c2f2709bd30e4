import { Task, initialState } from '@lit/task';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ApiError, pageApi, type Appointment, type BookingApi, type BookingRequest, type DaySlots, type Doctor } from './api';
import { newIdempotencyKey } from './lib/idempotency';
import { addDays, dateIn, formatDate, formatShortDay, formatTime, isDate, localTimeZone, slotTimes, zoneCity } from './lib/time';
import { renderStatus, unavailableText, type Notice } from './status';
import { sharedStyles } from './styles';

/** `detail` of `booking-confirmed` and `booking-cancelled`. */
export interface BookingEventDetail {
  appointment: Appointment;
}

type DetailField = 'patient_name' | 'patient_email' | 'patient_phone';

const controlCharacters = /\p{Cc}/u;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[0-9 ().-]{5,32}$/;
/** How often a booking that the server says is still in flight is asked about again. */
const inFlightRetries = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A patient books an appointment: a doctor, a day, one of that day's free times (on the
 * doctor's clock, with the patient's own beside it when it differs), their name and, if they
 * like, an e-mail address and phone number. The confirmation shows the booking reference;
 * the second panel finds a booking by reference and cancels it.
 *
 * Each booking attempt carries an Idempotency-Key, kept across "Try again", so a double
 * click or a retry after a lost answer never books twice.
 *
 * @fires booking-confirmed - a booking was made; `detail.appointment` (bubbles, composed)
 * @fires booking-cancelled - the patient cancelled a booking; `detail.appointment` (bubbles, composed)
 * @csspart panel - each of the two panels
 * @csspart heading - the panels' headings
 * @csspart status - the live message of a panel; also `error` while it reports a failure
 * @csspart input - text inputs and selects
 * @csspart button - buttons
 * @csspart time-slot - one bookable time; also `time-slot-unavailable` when it is not free
 * @csspart confirmation - the confirmation after booking
 * @csspart reference - the booking reference
 * @csspart lookup-result - a booking found by reference
 * @cssprop --booking-accent - and the other --booking-* properties listed in styles.ts
 */
@customElement('booking-widget')
export class BookingWidget extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .layout {
        display: grid;
        gap: 1.25rem;
        align-items: start;
      }
      @media (min-width: 960px) {
        .layout {
          grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        }
      }
      .choose {
        display: grid;
        gap: 0 1rem;
      }
      @container (min-width: 460px) {
        .choose {
          grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        }
      }
      .slots {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(6.75rem, 1fr));
        gap: 0.5rem;
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
      }
      .slots li {
        position: relative;
      }
      .slot-input {
        position: absolute;
        inset: 0;
        opacity: 0;
        margin: 0;
        width: 100%;
        height: 100%;
        pointer-events: none;
      }
      .slot {
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        min-height: 3rem;
        padding: 0.35rem 0.4rem;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        font-weight: 600;
        text-align: center;
        cursor: pointer;
        line-height: 1.25;
      }
      .slot .time {
        font-size: 1.05rem;
        font-variant-numeric: tabular-nums;
      }
      .slot .sub {
        font-weight: 400;
        font-size: 0.8rem;
      }
      .slot-input:checked + .slot {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_accent-text);
        box-shadow: inset 0 0 0 2px var(--_accent-text);
      }
      .slot-input:checked + .slot .time::before {
        content: '✓ ';
      }
      .slot-input:focus-visible + .slot {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
      .slot-input:disabled + .slot {
        cursor: not-allowed;
        border-style: dashed;
        background: var(--_surface-alt);
        color: var(--_muted);
      }
      .slot-input:disabled + .slot .time {
        text-decoration: line-through;
      }
      .slot-input:not(:checked):not(:disabled) + .slot:hover {
        border-color: var(--_accent);
        box-shadow: inset 0 0 0 1px var(--_accent);
      }
      .details {
        display: grid;
        gap: 0 1rem;
        border-top: 1px solid #d5dbe3;
        padding-top: 1rem;
      }
      @container (min-width: 460px) {
        .details {
          grid-template-columns: 1fr 1fr;
        }
        .details legend,
        .details .wide {
          grid-column: 1 / -1;
        }
      }
      .details legend {
        float: left;
        width: 100%;
        margin-bottom: 0.5rem;
      }
      .confirmation h3 {
        color: var(--_success);
        font-size: 1.25rem;
      }
      .reference {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 1rem;
      }
      code {
        font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
        font-size: 1rem;
        background: var(--_surface-alt);
        border: 1px solid #c7cfda;
        border-radius: var(--_radius);
        padding: 0.4rem 0.6rem;
        overflow-wrap: anywhere;
        user-select: all;
      }
      .inline {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .inline input {
        flex: 1 1 12rem;
        width: auto;
      }
      .copied {
        color: var(--_success);
        font-weight: 600;
      }
      .badge {
        display: inline-block;
        font-weight: 700;
        border: 1px solid currentColor;
        border-radius: 999px;
        padding: 0 0.6rem;
      }
      .badge.booked {
        color: var(--_success);
      }
      .badge.cancelled {
        color: var(--_danger);
      }
    `,
  ];

  /** The client to talk to; by default the one the page configured. */
  @property({ attribute: false }) api: BookingApi = pageApi();

  /** Chooses this doctor at first, by id (for a doctor's own page). */
  @property({ type: Number, attribute: 'doctor-id' }) doctorId?: number;

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _doctorId?: number;
  @state() private _date = dateIn(localTimeZone());
  /** The chosen slot's start, as the API gave it. */
  @state() private _slotStart?: string;
  @state() private _details: Record<DetailField, string> = { patient_name: '', patient_email: '', patient_phone: '' };
  @state() private _fieldErrors: Partial<Record<DetailField, string>> = {};
  @state() private _booking = false;
  @state() private _booked?: Appointment;
  /** The reference on show was copied to the clipboard. */
  @state() private _copied = false;
  @state() private _notice?: Notice;
  @state() private _reference = '';
  @state() private _found?: Appointment;
  @state() private _lookupBusy = false;
  @state() private _confirmingCancel = false;
  @state() private _lookupNotice?: Notice;

  private readonly _patientZone = localTimeZone();
  /** The booking being attempted and its key: the same body is retried under the same key. */
  private _attempt?: { body: string; key: string };

  private _doctors = new Task(this, {
    task: ([api], { signal }) => api.doctors(signal),
    args: () => [this.api] as const,
  });

  private _slots = new Task(this, {
    task: ([api, doctorId, date], { signal }) =>
      doctorId !== undefined && isDate(date) ? api.slots(doctorId, date, signal) : initialState,
    args: () => [this.api, this._doctorId, this._date] as const,
  });

  willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('doctorId') && this.doctorId !== undefined) this._doctorId = this.doctorId;
  }

  render() {
    return html`
      <div class="layout">
        <section class="panel" part="panel" aria-labelledby="book-heading">
          <h2 id="book-heading" part="heading">Book an appointment</h2>
          ${renderStatus('status', this._notice ?? this._loadingNotice())}
          ${this._booked ? this._renderConfirmation(this._booked) : this._renderBooking()}
        </section>
        <section class="panel" part="panel" aria-labelledby="lookup-heading">
          <h2 id="lookup-heading" part="heading">Find or cancel a booking</h2>
          ${this._renderLookup()}
        </section>
      </div>
    `;
  }

  private _doctor(id: number | undefined): Doctor | undefined {
    return this._doctors.value?.find((d) => d.id === id);
  }

  /** What the status region says when nothing has happened to say: loading and its failures. */
  private _loadingNotice(): Notice | undefined {
    const failed = (error: unknown, what: string, retry: () => void): Notice =>
      error instanceof ApiError && !error.unavailable
        ? { tone: 'error', text: error.message }
        : { tone: 'error', text: unavailableText(what), action: { label: 'Try again', run: retry } };
    const doctors = this._doctors.render({
      pending: (): Notice => ({ tone: 'info', text: 'Loading the list of doctors…' }),
      error: (e) => failed(e, 'load the list of doctors', () => this._doctors.run()),
    });
    if (doctors) return doctors;
    if (this._booked) return undefined;
    return this._slots.render({
      initial: (): Notice => ({
        tone: 'info',
        text: this._doctorId === undefined ? 'Choose a doctor and a date to see the times you can book.' : 'Choose a date to see the times you can book.',
      }),
      pending: (): Notice => ({ tone: 'info', text: 'Looking up times…' }),
      complete: (day): Notice | undefined => {
        const free = day.slots.filter((s) => s.available).length;
        if (day.slots.length === 0) return { tone: 'info', text: `${this._doctor(day.doctor_id)?.name ?? 'This doctor'} does not see patients on ${formatDate(day.date, this.locale)}.` };
        if (free === 0) {
          const passed = day.slots.every((s) => Date.parse(s.start) <= Date.now());
          return { tone: 'info', text: `${formatDate(day.date, this.locale)} ${passed ? 'has passed' : 'has no free times left'}. Please choose another day.` };
        }
        return { tone: 'info', text: `${free} of ${day.slots.length} times free on ${formatDate(day.date, this.locale)}.` };
      },
      error: (e) => failed(e, 'load the times for this day', () => this._slots.run()),
    });
  }

  private _renderBooking() {
    const doctors = this._doctors.value ?? [];
    const doctor = this._doctor(this._doctorId);
    const today = dateIn(this._patientZone);
    const doctorToday = doctor ? dateIn(doctor.timezone) : today;
    // While times are refreshed the last ones stay on screen, if they are for this choice.
    const day = this._slots.value;
    return html`
      <div class="choose">
        <div class="field">
          <label for="doctor">Doctor</label>
          <select id="doctor" part="input" @change=${this._onDoctorChange} aria-describedby="doctor-about">
            <option value="" ?selected=${this._doctorId === undefined}>Choose a doctor</option>
            ${doctors.map((d) => html`<option value=${d.id} ?selected=${d.id === this._doctorId}>${d.name} (${d.specialty})</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="date">Date</label>
          <input id="date" type="date" part="input" .value=${live(this._date)} min=${doctorToday < today ? doctorToday : today} @change=${this._onDateChange} />
        </div>
      </div>
      <p id="doctor-about" class="hint">
        ${doctor
          ? html`${doctor.name}, ${doctor.specialty}. Appointments last ${doctor.slot_minutes} minutes; times are on the clinic's clock in ${zoneCity(doctor.timezone)}.`
          : nothing}
      </p>
      ${day && day.doctor_id === this._doctorId && day.date === this._date ? this._renderDay(day) : nothing}
    `;
  }

  private _renderDay(day: DaySlots) {
    const free = day.slots.some((s) => s.available);
    if (!free) {
      return html`<div class="actions">
        <button type="button" part="button" @click=${this._onNextDay}>Show ${formatDate(addDays(day.date, 1), this.locale)}</button>
      </div>`;
    }
    const now = Date.now();
    const anyLocal = day.slots.some((s) => slotTimes(s.start, day.timezone, this._patientZone, this.locale).local);
    const chosen = day.slots.find((s) => s.start === this._slotStart && s.available);
    const errors = this._fieldErrors;
    return html`
      <form novalidate @submit=${this._onBook}>
        <fieldset>
          <legend>Times on ${formatDate(day.date, this.locale)}</legend>
          <p class="hint">
            ${zoneCity(day.timezone)} time (${day.timezone})${anyLocal ? html`. Below each in small type: the same time where you are (${zoneCity(this._patientZone)})` : nothing}.
          </p>
          <ul class="slots" role="list">
            ${day.slots.map((slot, i) => {
              const times = slotTimes(slot.start, day.timezone, this._patientZone, this.locale);
              const why = slot.available ? '' : Date.parse(slot.start) <= now ? 'past' : 'booked';
              return html`<li>
                <input
                  class="slot-input"
                  type="radio"
                  name="slot"
                  id="slot-${i}"
                  .value=${slot.start}
                  .checked=${live(slot.start === this._slotStart)}
                  ?disabled=${!slot.available}
                  @change=${this._onSlotChange}
                />
                <label for="slot-${i}" class="slot" part=${slot.available ? 'time-slot' : 'time-slot time-slot-unavailable'}>
                  <span class="time">${times.doctor}</span>
                  ${times.local ? html`<span class="sub"><span class="visually-hidden">your time </span>${times.local}</span>` : nothing}
                  ${why ? html`<span class="sub">${why}</span>` : nothing}
                </label>
              </li>`;
            })}
          </ul>
        </fieldset>
        <fieldset class="details">
          <legend>Your details</legend>
          ${this._renderInput('patient_name', 'Full name', 'text', 'name', 100, errors.patient_name, true)}
          ${this._renderInput('patient_email', 'E-mail', 'email', 'email', 254, errors.patient_email)}
          ${this._renderInput('patient_phone', 'Phone', 'tel', 'tel', 32, errors.patient_phone)}
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" part="button book-button" aria-disabled=${this._booking ? 'true' : 'false'}>
            ${this._booking
              ? 'Booking…'
              : chosen
                ? `Book ${formatTime(chosen.start, day.timezone, this.locale)}, ${formatShortDay(chosen.start, day.timezone, this.locale)}`
                : 'Book appointment'}
          </button>
        </div>
      </form>
    `;
  }

  private _renderInput(name: DetailField, label: string, type: string, autocomplete: string, maxLength: number, error: string | undefined, required = false) {
    return html`<div class="field ${name === 'patient_name' ? 'wide' : ''}">
      <label for=${name}>${label}${required ? nothing : html` <span class="optional">(optional)</span>`}</label>
      <input
        id=${name}
        name=${name}
        type=${type}
        part="input"
        autocomplete=${autocomplete}
        maxlength=${maxLength}
        ?required=${required}
        .value=${live(this._details[name])}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : nothing}
        @input=${this._onDetailInput}
      />
      ${error ? html`<p id="${name}-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  private _renderWhen(instant: string, doctor: Doctor | undefined) {
    const zone = doctor?.timezone ?? this._patientZone;
    const times = slotTimes(instant, zone, this._patientZone, this.locale);
    return html`${formatDate(dateIn(zone, new Date(instant)), this.locale)} at ${times.doctor}
    ${doctor ? html`(${zoneCity(zone)} time)` : nothing}${times.local ? html`<br />${times.local} your time` : nothing}`;
  }

  private _renderConfirmation(appointment: Appointment) {
    const doctor = this._doctor(appointment.doctor_id);
    return html`
      <div class="confirmation" part="confirmation">
        <h3 id="confirmed" tabindex="-1">✓ You're booked</h3>
        <dl>
          <dt>Doctor</dt>
          <dd>${doctor ? `${doctor.name} (${doctor.specialty})` : `Doctor ${appointment.doctor_id}`}</dd>
          <dt>When</dt>
          <dd>${this._renderWhen(appointment.appointment_time, doctor)}</dd>
          <dt>Name</dt>
          <dd>${appointment.patient_name}</dd>
        </dl>
        <p id="reference-about">Your booking reference. Keep it: you need it to look up or cancel this appointment.</p>
        <div class="reference">
          <code id="reference" part="reference" aria-describedby="reference-about">${appointment.reference}</code>
          <button type="button" part="button" @click=${this._onCopy}>Copy reference</button>
          ${this._copied ? html`<span class="copied" aria-hidden="true">✓ Copied</span>` : nothing}
        </div>
        <div class="actions">
          <button type="button" part="button" @click=${this._onBookAnother}>Book another appointment</button>
        </div>
      </div>
    `;
  }

  private _renderLookup() {
    const found = this._found;
    const doctor = found ? this._doctor(found.doctor_id) : undefined;
    return html`
      <form novalidate @submit=${this._onLookup}>
        <div class="field">
          <label for="lookup-reference">Booking reference</label>
          <div class="inline">
            <input
              id="lookup-reference"
              part="input"
              autocomplete="off"
              autocapitalize="off"
              spellcheck="false"
              maxlength="64"
              aria-describedby="lookup-hint"
              .value=${live(this._reference)}
              @input=${this._onReferenceInput}
            />
            <button type="submit" part="button" aria-disabled=${this._lookupBusy ? 'true' : 'false'}>Find booking</button>
          </div>
          <p id="lookup-hint" class="hint">The reference shown when you booked, 22 or more letters, digits, - and _.</p>
        </div>
      </form>
      ${renderStatus('lookup-status', this._lookupNotice)}
      ${found
        ? html`<div part="lookup-result">
            <dl>
              <dt>Status</dt>
              <dd><span class="badge ${found.status}">${found.status === 'booked' ? 'Booked' : 'Cancelled'}</span></dd>
              <dt>Doctor</dt>
              <dd>${doctor ? `${doctor.name} (${doctor.specialty})` : `Doctor ${found.doctor_id}`}</dd>
              <dt>When</dt>
              <dd>${this._renderWhen(found.appointment_time, doctor)}</dd>
              <dt>Name</dt>
              <dd>${found.patient_name}</dd>
            </dl>
            ${found.status !== 'booked'
              ? nothing
              : this._confirmingCancel
                ? html`<p id="cancel-question"><strong>Cancel this appointment?</strong> The time goes back to other patients.</p>
                    <div class="actions" role="group" aria-labelledby="cancel-question">
                      <button type="button" class="danger" part="button" @click=${this._onCancelConfirmed}>Yes, cancel it</button>
                      <button type="button" part="button" id="keep" @click=${this._onCancelAbandoned}>No, keep it</button>
                    </div>`
                : html`<button type="button" part="button" id="cancel" @click=${this._onCancelAsked}>Cancel this appointment</button>`}
          </div>`
        : nothing}
    `;
  }

  /** Moves focus (and so the view) to `selector` once the update that renders it is done. */
  private async _focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private _validate(): BookingRequest | undefined {
    const name = this._details.patient_name.trim();
    const email = this._details.patient_email.trim();
    const phone = this._details.patient_phone.trim();
    const errors: Partial<Record<DetailField, string>> = {};
    if (!name) errors.patient_name = 'Enter your name.';
    else if (name.length > 100) errors.patient_name = 'Use at most 100 characters.';
    else if (controlCharacters.test(name)) errors.patient_name = 'Use letters, spaces and punctuation only.';
    if (email && !emailPattern.test(email)) errors.patient_email = 'Enter an e-mail address like name@example.com, or leave it empty.';
    if (phone && !phonePattern.test(phone)) errors.patient_phone = 'Enter a phone number using digits, spaces and + ( ) . -, or leave it empty.';
    this._fieldErrors = errors;
    const first = Object.keys(errors)[0];
    if (first) {
      this._notice = { tone: 'error', text: 'Please check your details below.' };
      void this._focus(`#${first}`);
      return undefined;
    }
    if (this._doctorId === undefined || !this._slotStart) {
      this._notice = { tone: 'warning', text: 'Choose a time first.' };
      void this._focus('.slot-input:not(:disabled)');
      return undefined;
    }
    const request: BookingRequest = { patient_name: name, doctor_id: this._doctorId, appointment_time: this._slotStart };
    if (email) request.patient_email = email;
    if (phone) request.patient_phone = phone;
    return request;
  }

  private async _book(request: BookingRequest, key: string): Promise<void> {
    this._booking = true;
    this._notice = { tone: 'info', text: 'Booking…' };
    try {
      let appointment: Appointment | undefined;
      for (let tries = 0; !appointment; tries++) {
        try {
          appointment = await this.api.book(request, key);
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'request_in_progress' || tries >= inFlightRetries) throw err;
          await sleep((err.retryAfterSeconds ?? 1) * 1000);
        }
      }
      this._attempt = undefined;
      this._booked = appointment;
      this._copied = false;
      this._notice = { tone: 'success', text: 'Your appointment is booked.', quiet: true };
      this._details = { patient_name: '', patient_email: '', patient_phone: '' };
      this._slotStart = undefined;
      void this._focus('#confirmed');
      this.dispatchEvent(new CustomEvent<BookingEventDetail>('booking-confirmed', { detail: { appointment }, bubbles: true, composed: true }));
    } catch (err) {
      this._bookingFailed(err, request, key);
    } finally {
      this._booking = false;
    }
  }

  private _bookingFailed(err: unknown, request: BookingRequest, key: string): void {
    const error = err instanceof ApiError ? err : new ApiError(0, 'unreachable', String(err));
    if (error.unavailable) {
      // The booking may or may not have been made: trying again with the same key tells.
      this._notice = {
        tone: 'error',
        text: "We couldn't confirm your booking: the booking service isn't answering. Try again when you're ready; you won't be booked twice.",
        action: { label: 'Try again', run: () => void this._book(request, key) },
      };
      void this._focus('#status');
      return;
    }
    this._attempt = undefined;
    if (error.code === 'slot_taken' || error.code === 'not_bookable') {
      const when = formatTime(request.appointment_time, this._slots.value?.timezone ?? this._patientZone, this.locale);
      this._notice = {
        tone: 'warning',
        text:
          error.code === 'slot_taken'
            ? `Sorry, ${when} was just taken by someone else. The times below are up to date: please choose another.`
            : `${when} can no longer be booked. ${error.message} The times below are up to date: please choose another.`,
      };
      this._slotStart = undefined;
      void this._slots.run();
      void this._focus('#status');
      return;
    }
    if (error.code === 'invalid_request' && error.issues.length > 0) {
      const fields: Partial<Record<DetailField, string>> = {};
      for (const issue of error.issues) {
        if (issue.path === 'patient_name' || issue.path === 'patient_email' || issue.path === 'patient_phone') fields[issue.path] = `This ${issue.message}.`;
      }
      this._fieldErrors = fields;
      const first = Object.keys(fields)[0];
      this._notice = { tone: 'error', text: first ? 'Please check your details below.' : error.message };
      void this._focus(first ? `#${first}` : '#status');
      return;
    }
    this._notice = { tone: 'error', text: error.message };
    if (error.code === 'not_found') void this._doctors.run();
    void this._focus('#status');
  }

  private async _lookUp(reference: string): Promise<void> {
    this._lookupBusy = true;
    this._lookupNotice = { tone: 'info', text: 'Looking up your booking…' };
    this._confirmingCancel = false;
    try {
      this._found = await this.api.find(reference);
      this._lookupNotice = {
        tone: 'info',
        text: this._found.status === 'booked' ? 'Found your booking.' : 'Found your booking. It has been cancelled.',
      };
    } catch (err) {
      this._found = undefined;
      this._lookupNotice = this._lookupFailure(err, 'look up your booking', () => void this._lookUp(reference));
      void this._focus('#lookup-status');
    } finally {
      this._lookupBusy = false;
    }
  }

  private async _cancel(reference: string): Promise<void> {
    this._lookupBusy = true;
    this._lookupNotice = { tone: 'info', text: 'Cancelling…' };
    try {
      const appointment = await this.api.cancel(reference);
      this._found = appointment;
      this._confirmingCancel = false;
      this._lookupNotice = { tone: 'success', text: 'Your appointment is cancelled.' };
      this.dispatchEvent(new CustomEvent<BookingEventDetail>('booking-cancelled', { detail: { appointment }, bubbles: true, composed: true }));
      // The freed time shows as free again if the patient is looking at that day.
      if (appointment.doctor_id === this._doctorId) void this._slots.run();
    } catch (err) {
      this._lookupNotice = this._lookupFailure(err, 'cancel your booking', () => void this._cancel(reference));
    } finally {
      this._lookupBusy = false;
    }
    void this._focus('#lookup-status');
  }

  private _lookupFailure(err: unknown, what: string, retry: () => void): Notice {
    if (err instanceof ApiError && err.code === 'not_found') {
      return { tone: 'warning', text: 'No booking has that reference. Check it against your confirmation and try again.' };
    }
    if (err instanceof ApiError && !err.unavailable) return { tone: 'error', text: err.message };
    return { tone: 'error', text: unavailableText(what), action: { label: 'Try again', run: retry } };
  }

  private _onDoctorChange(e: Event): void {
    const value = (e.target as HTMLSelectElement).value;
    this._doctorId = value ? Number(value) : undefined;
    this._slotStart = undefined;
    this._notice = undefined;
  }

  private _onDateChange(e: Event): void {
    this._date = (e.target as HTMLInputElement).value;
    this._slotStart = undefined;
    this._notice = undefined;
  }

  private _onNextDay(): void {
    this._date = addDays(this._date, 1);
    this._slotStart = undefined;
    this._notice = undefined;
    void this._focus('#date');
  }

  private _onSlotChange(e: Event): void {
    this._slotStart = (e.target as HTMLInputElement).value;
    this._notice = undefined;
  }

  private _onDetailInput(e: Event): void {
    const input = e.target as HTMLInputElement;
    const name = input.name as DetailField;
    this._details = { ...this._details, [name]: input.value };
    if (this._fieldErrors[name]) this._fieldErrors = { ...this._fieldErrors, [name]: undefined };
  }

  private _onBook(e: SubmitEvent): void {
    e.preventDefault();
    if (this._booking) return;
    const request = this._validate();
    if (!request) return;
    const body = JSON.stringify(request);
    if (this._attempt?.body !== body) this._attempt = { body, key: newIdempotencyKey() };
    void this._book(request, this._attempt.key);
  }

  private async _onCopy(): Promise<void> {
    const reference = this._booked?.reference;
    if (!reference) return;
    try {
      await navigator.clipboard.writeText(reference);
      this._copied = true;
      this._notice = { tone: 'success', text: 'Reference copied.', quiet: true };
    } catch {
      // No clipboard access (an insecure page, or permission refused): select it for the user.
      const code = this.renderRoot.querySelector('#reference');
      if (code) getSelection()?.selectAllChildren(code);
      this._notice = { tone: 'info', text: 'The reference is selected: press Ctrl+C (⌘C on a Mac) to copy it.' };
    }
  }

  private _onBookAnother(): void {
    this._booked = undefined;
    this._notice = undefined;
    void this._slots.run();
    void this._focus('#doctor');
  }

  private _onReferenceInput(e: Event): void {
    this._reference = (e.target as HTMLInputElement).value;
  }

  private _onLookup(e: SubmitEvent): void {
    e.preventDefault();
    if (this._lookupBusy) return;
    const reference = this._reference.trim();
    if (!reference) {
      this._found = undefined;
      this._lookupNotice = { tone: 'warning', text: 'Enter your booking reference first.' };
      void this._focus('#lookup-reference');
      return;
    }
    void this._lookUp(reference);
  }

  private _onCancelAsked(): void {
    this._confirmingCancel = true;
    // The safe choice has the focus, so a stray Enter keeps the appointment.
    void this._focus('#keep');
  }

  private _onCancelAbandoned(): void {
    this._confirmingCancel = false;
    void this._focus('#cancel');
  }

  private _onCancelConfirmed(): void {
    if (this._lookupBusy || !this._found) return;
    void this._cancel(this._found.reference);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'booking-widget': BookingWidget;
  }
  interface HTMLElementEventMap {
    'booking-confirmed': CustomEvent<BookingEventDetail>;
    'booking-cancelled': CustomEvent<BookingEventDetail>;
  }
}
