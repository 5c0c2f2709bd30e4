import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { pageApi, type Appointment, type AvailableSlot, type BookingApi, type DaySlots } from './api';
import { renderCalendar, renderFirstAvailable, renderSpecialtyField, renderTypeField, type DiscoveryHandlers } from './booking-discovery';
import './booking-lookup';
import { bookingWidgetStyles } from './booking-styles';
import { BookingController, appointmentWhen, doctorLabel, type BookingEventDetail, type DetailField, type FocusTarget } from './lib/booking-controller';
import { DiscoveryController } from './lib/discovery-controller';
import { addDays, dateIn, formatDate, formatShortDay, formatTime, slotTimes, zoneCity } from './lib/time';
import { renderStatus } from './status';
import { sharedStyles } from './styles';

export type { BookingEventDetail } from './lib/booking-controller';

const focusSelectors: Record<FocusTarget, string> = {
  patient_name: '#patient_name',
  patient_email: '#patient_email',
  patient_phone: '#patient_phone',
  doctor: '#doctor',
  date: '#date',
  'first-free-slot': '.slot-input:not(:disabled)',
  status: '#status',
  confirmation: '#confirmed',
};

/**
 * A patient books an appointment: a doctor (narrowed by specialty), the type of visit when the
 * doctor has several, a day (typed, or picked in a month calendar that marks the bookable
 * days), one of that day's free times (on the doctor's clock, with the patient's own beside it
 * when it differs), their name and, if they like, an e-mail address and phone number. "First
 * available" lists the earliest free times across doctors; choosing one chooses all of that
 * at once and goes on to the patient's details. The confirmation shows the booking reference;
 * the second panel, a <booking-lookup>, finds a booking by reference and cancels it.
 *
 * What to book and how (the Idempotency-Key, kept across "Try again", so a double click or a
 * retry after a lost answer never books twice) is lib/booking-controller.ts; this element
 * renders it and moves the focus where the controller asks.
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
  static styles = [sharedStyles, bookingWidgetStyles];

  /** The client to talk to; by default the one the page configured. */
  @property({ attribute: false }) api: BookingApi = pageApi();

  /** Chooses this doctor at first, by id (for a doctor's own page). */
  @property({ type: Number, attribute: 'doctor-id' }) doctorId?: number;

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  /** The reference on show was copied to the clipboard. */
  @state() private _copied = false;

  private readonly _controller = new BookingController(this.api, {
    changed: () => this.requestUpdate(),
    focus: (target) => void this._focus(focusSelectors[target]),
    booked: (appointment) => {
      this._copied = false;
      this.dispatchEvent(new CustomEvent<BookingEventDetail>('booking-confirmed', { detail: { appointment }, bubbles: true, composed: true }));
    },
  });

  private readonly _discovery = new DiscoveryController(this._controller, { changed: () => this.requestUpdate() });

  private readonly _discoveryHandlers: DiscoveryHandlers = {
    specialtyChanged: (e) => void this._discovery.chooseSpecialty((e.target as HTMLSelectElement).value),
    typeChanged: (e) => void this._controller.chooseType(Number((e.target as HTMLSelectElement).value)),
    findFirst: () => {
      if (!this._discovery.finding) void this._discovery.findFirst();
    },
    chooseOffer: (offer: AvailableSlot) => void this._discovery.chooseOffer(offer),
    dateSelected: (e) => void this._controller.chooseDate(e.detail.date),
    monthChanged: (e) => void this._discovery.showMonth(e.detail.month),
    retryDays: () => void this._discovery.reloadDays(),
  };

  willUpdate(changed: PropertyValues<this>): void {
    this._controller.api = this.api;
    this._controller.locale = this.locale;
    if (changed.has('doctorId') && this.doctorId !== undefined) void this._controller.chooseDoctor(this.doctorId);
    void this._controller.load();
    void this._discovery.load();
  }

  render() {
    const c = this._controller;
    // The lookup panel's parts are the widget's too, as they were before it was an element of its own.
    return html`
      <div class="layout">
        <section class="panel" part="panel" aria-labelledby="book-heading">
          <h2 id="book-heading" part="heading">Book an appointment</h2>
          ${renderStatus('status', c.notice)}
          ${c.booked ? this._renderConfirmation(c.booked) : this._renderBooking()}
        </section>
        <booking-lookup
          exportparts="panel, heading, status, error, input, button, lookup-result"
          .api=${this.api}
          .doctors=${c.doctors}
          .locale=${this.locale}
          @booking-cancelled=${this._onCancelled}
        ></booking-lookup>
      </div>
    `;
  }

  private _renderBooking() {
    const c = this._controller;
    const doctor = c.doctor;
    const today = dateIn(c.patientZone);
    const doctorToday = doctor ? dateIn(doctor.timezone) : today;
    const on = this._discoveryHandlers;
    const type = c.appointmentType;
    return html`
      <div class="choose">
        ${renderSpecialtyField(this._discovery, on)}
        <div class="field">
          <label for="doctor">Doctor</label>
          <select id="doctor" part="input" @change=${this._onDoctorChange} aria-describedby="doctor-about">
            <option value="" ?selected=${c.doctorId === undefined}>Choose a doctor</option>
            ${this._discovery.doctors.map((d) => html`<option value=${d.id} ?selected=${d.id === c.doctorId}>${d.name} (${d.specialty})</option>`)}
          </select>
        </div>
        ${renderTypeField(c, on)}
        <div class="field">
          <label for="date">Date</label>
          <input id="date" type="date" part="input" .value=${live(c.date)} min=${doctorToday < today ? doctorToday : today} @change=${this._onDateChange} />
        </div>
      </div>
      <p id="doctor-about" class="hint">
        ${doctor
          ? html`${doctor.name}, ${doctor.specialty}. ${c.appointmentTypes.length > 1 && type ? `${type.name}: ${type.minutes} minutes` : `Appointments last ${type?.minutes ?? doctor.slot_minutes} minutes`}; times are on the clinic's clock in ${zoneCity(doctor.timezone)}.`
          : nothing}
      </p>
      ${renderFirstAvailable(c, this._discovery, on, this.locale)} ${renderCalendar(c, this._discovery, on, this.locale)}
      ${c.day ? this._renderDay(c.day) : nothing}
    `;
  }

  private _renderDay(day: DaySlots) {
    const free = day.slots.some((s) => s.available);
    if (!free) {
      return html`<div class="actions">
        <button type="button" part="button" @click=${this._onNextDay}>Show ${formatDate(addDays(day.date, 1), this.locale)}</button>
      </div>`;
    }
    const c = this._controller;
    const now = Date.now();
    const anyLocal = day.slots.some((s) => slotTimes(s.start, day.timezone, c.patientZone, this.locale).local);
    const chosen = day.slots.find((s) => s.start === c.slotStart && s.available);
    const errors = c.fieldErrors;
    return html`
      <form novalidate @submit=${this._onBook}>
        <fieldset>
          <legend>Times on ${formatDate(day.date, this.locale)}</legend>
          <p class="hint">
            ${zoneCity(day.timezone)} time (${day.timezone})${anyLocal ? html`. Below each in small type: the same time where you are (${zoneCity(c.patientZone)})` : nothing}.
          </p>
          <ul class="slots" role="list">
            ${day.slots.map((slot, i) => {
              const times = slotTimes(slot.start, day.timezone, c.patientZone, this.locale);
              const why = slot.available ? '' : Date.parse(slot.start) <= now ? 'past' : 'booked';
              return html`<li>
                <input
                  class="slot-input"
                  type="radio"
                  name="slot"
                  id="slot-${i}"
                  .value=${slot.start}
                  .checked=${live(slot.start === c.slotStart)}
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
          ${this._renderInput('patient_name', 'Full name', 'text', 'name', 200, errors.patient_name, true)}
          ${this._renderInput('patient_email', 'E-mail', 'email', 'email', 254, errors.patient_email)}
          ${this._renderInput('patient_phone', 'Phone', 'tel', 'tel', 32, errors.patient_phone)}
        </fieldset>
        <div class="actions">
          <button type="submit" class="primary" part="button book-button" aria-disabled=${c.booking ? 'true' : 'false'}>
            ${c.booking
              ? 'Booking…'
              : chosen
                ? `Book ${formatTime(chosen.start, day.timezone, this.locale)}, ${formatShortDay(chosen.start, day.timezone, this.locale)}`
                : 'Book appointment'}
          </button>
        </div>
      </form>
    `;
  }

  /** `maxLength` counts UTF-16 units, as the browser does: 200 lets 100 characters of any kind in. */
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
        .value=${live(this._controller.details[name])}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : nothing}
        @input=${this._onDetailInput}
      />
      ${error ? html`<p id="${name}-error" class="field-error">${error}</p>` : nothing}
    </div>`;
  }

  private _renderConfirmation(appointment: Appointment) {
    const doctor = this._controller.findDoctor(appointment.doctor_id);
    const when = appointmentWhen(appointment.appointment_time, doctor, this._controller.patientZone, this.locale);
    return html`
      <div class="confirmation" part="confirmation">
        <h3 id="confirmed" tabindex="-1">✓ You're booked</h3>
        <dl>
          <dt>Doctor</dt>
          <dd>${doctorLabel(doctor, appointment.doctor_id)}</dd>
          <dt>When</dt>
          <dd>${when.day} at ${when.time}
          ${when.city ? html`(${when.city} time)` : nothing}${when.local ? html`<br />${when.local} your time` : nothing}</dd>
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

  /** Moves focus (and so the view) to `selector` once the update that renders it is done. */
  private async _focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private _onDoctorChange(e: Event): void {
    const value = (e.target as HTMLSelectElement).value;
    void this._controller.chooseDoctor(value ? Number(value) : undefined);
  }

  private _onDateChange(e: Event): void {
    void this._controller.chooseDate((e.target as HTMLInputElement).value);
  }

  private _onNextDay(): void {
    void this._controller.nextDay();
  }

  private _onSlotChange(e: Event): void {
    this._controller.chooseSlot((e.target as HTMLInputElement).value);
  }

  private _onDetailInput(e: Event): void {
    const input = e.target as HTMLInputElement;
    this._controller.setDetail(input.name as DetailField, input.value);
  }

  private _onBook(e: SubmitEvent): void {
    e.preventDefault();
    void this._controller.submit();
  }

  private async _onCopy(): Promise<void> {
    const reference = this._controller.booked?.reference;
    if (!reference) return;
    try {
      await navigator.clipboard.writeText(reference);
      this._copied = true;
      this._controller.announce({ tone: 'success', text: 'Reference copied.', quiet: true });
    } catch {
      // No clipboard access (an insecure page, or permission refused): select it for the user.
      const code = this.renderRoot.querySelector('#reference');
      if (code) getSelection()?.selectAllChildren(code);
      this._controller.announce({ tone: 'info', text: 'The reference is selected: press Ctrl+C (⌘C on a Mac) to copy it.' });
    }
  }

  private _onBookAnother(): void {
    void this._controller.bookAnother();
  }

  private _onCancelled(e: CustomEvent<BookingEventDetail>): void {
    void this._controller.cancelled(e.detail.appointment);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'booking-widget': BookingWidget;
  }
  interface HTMLElementEventMap {
    'booking-confirmed': CustomEvent<BookingEventDetail>;
  }
}
