import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { pageApi, type Appointment, type BookingApi, type Doctor } from './api';
import { bookingLookupStyles } from './booking-styles';
import { renderCancelConfirm } from './cancel-confirm';
import { appointmentWhen, doctorLabel, lookupFailure, type BookingEventDetail } from './lib/booking-controller';
import { localTimeZone } from './lib/time';
import { renderStatus, type Notice } from './status';
import { sharedStyles } from './styles';

/**
 * A patient finds a booking by its reference, sees it, and cancels it. <booking-widget> shows
 * one beside its booking form; a page may also show one on its own (a "manage my booking"
 * page). Cancelling asks first, with the focus on the answer that keeps the appointment.
 *
 * @fires booking-cancelled - the patient cancelled a booking; `detail.appointment` (bubbles, composed)
 * @csspart panel - the panel
 * @csspart heading - its heading
 * @csspart status - the live message; also `error` while it reports a failure
 * @csspart input - the reference field
 * @csspart button - buttons
 * @csspart lookup-result - the booking found
 * @cssprop --booking-accent - and the other --booking-* properties listed in styles.ts
 */
@customElement('booking-lookup')
export class BookingLookup extends LitElement {
  static styles = [sharedStyles, bookingLookupStyles];

  /** The client to talk to; by default the one the page configured. */
  @property({ attribute: false }) api: BookingApi = pageApi();

  /**
   * The doctors, to name the one a booking is with. Left unset, the element loads them
   * itself with its first look-up; <booking-widget> passes the list it already has.
   */
  @property({ attribute: false }) doctors?: readonly Doctor[];

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _reference = '';
  @state() private _found?: Appointment;
  @state() private _busy = false;
  @state() private _confirmingCancel = false;
  @state() private _notice?: Notice;
  /** The doctors this element loaded itself, when none were given. */
  @state() private _ownDoctors?: readonly Doctor[];

  private readonly _patientZone = localTimeZone();
  private readonly _cancelHandlers = {
    ask: () => this._onCancelAsked(),
    keep: () => this._onCancelAbandoned(),
    confirm: () => this._onCancelConfirmed(),
  };

  render() {
    const found = this._found;
    const doctor = found ? (this.doctors ?? this._ownDoctors)?.find((d) => d.id === found.doctor_id) : undefined;
    return html`
      <section class="panel" part="panel" aria-labelledby="lookup-heading">
        <h2 id="lookup-heading" part="heading">Find or cancel a booking</h2>
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
              <button type="submit" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Find booking</button>
            </div>
            <p id="lookup-hint" class="hint">The reference shown when you booked, 22 or more letters, digits, - and _.</p>
          </div>
        </form>
        ${renderStatus('lookup-status', this._notice)}
        ${found ? this._renderFound(found, doctor) : nothing}
      </section>
    `;
  }

  private _renderFound(found: Appointment, doctor: Doctor | undefined) {
    const when = appointmentWhen(found.appointment_time, doctor, this._patientZone, this.locale);
    return html`<div part="lookup-result">
      <dl>
        <dt>Status</dt>
        <dd><span class="badge ${found.status}">${found.status === 'booked' ? 'Booked' : 'Cancelled'}</span></dd>
        <dt>Doctor</dt>
        <dd>${doctorLabel(doctor, found.doctor_id)}</dd>
        <dt>When</dt>
        <dd>${when.day} at ${when.time}
        ${when.city ? html`(${when.city} time)` : nothing}${when.local ? html`<br />${when.local} your time` : nothing}</dd>
        <dt>Name</dt>
        <dd>${found.patient_name}</dd>
      </dl>
      ${found.status !== 'booked' ? nothing : renderCancelConfirm(this._confirmingCancel, this._cancelHandlers)}
    </div>`;
  }

  /** Moves focus (and so the view) to `selector` once the update that renders it is done. */
  private async _focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** The doctors, to name the booking's; failing to load them costs only the name. */
  private _doctorsFor(): Promise<readonly Doctor[] | undefined> {
    if (this.doctors || this._ownDoctors) return Promise.resolve(this.doctors ?? this._ownDoctors);
    return this.api.doctors().catch(() => undefined);
  }

  private async _lookUp(reference: string): Promise<void> {
    this._busy = true;
    this._notice = { tone: 'info', text: 'Looking up your booking…' };
    this._confirmingCancel = false;
    try {
      const [found, doctors] = await Promise.all([this.api.find(reference), this._doctorsFor()]);
      if (!this.doctors && doctors) this._ownDoctors = doctors;
      this._found = found;
      this._notice = {
        tone: 'info',
        text: found.status === 'booked' ? 'Found your booking.' : 'Found your booking. It has been cancelled.',
      };
    } catch (err) {
      this._found = undefined;
      this._notice = lookupFailure(err, 'look up your booking', () => void this._lookUp(reference));
      void this._focus('#lookup-status');
    } finally {
      this._busy = false;
    }
  }

  private async _cancel(reference: string): Promise<void> {
    this._busy = true;
    this._notice = { tone: 'info', text: 'Cancelling…' };
    try {
      const appointment = await this.api.cancel(reference);
      this._found = appointment;
      this._confirmingCancel = false;
      this._notice = { tone: 'success', text: 'Your appointment is cancelled.' };
      this.dispatchEvent(new CustomEvent<BookingEventDetail>('booking-cancelled', { detail: { appointment }, bubbles: true, composed: true }));
    } catch (err) {
      this._notice = lookupFailure(err, 'cancel your booking', () => void this._cancel(reference));
    } finally {
      this._busy = false;
    }
    void this._focus('#lookup-status');
  }

  private _onReferenceInput(e: Event): void {
    this._reference = (e.target as HTMLInputElement).value;
  }

  private _onLookup(e: SubmitEvent): void {
    e.preventDefault();
    if (this._busy) return;
    const reference = this._reference.trim();
    if (!reference) {
      this._found = undefined;
      this._notice = { tone: 'warning', text: 'Enter your booking reference first.' };
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
    if (this._busy || !this._found) return;
    void this._cancel(this._found.reference);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'booking-lookup': BookingLookup;
  }
  interface HTMLElementEventMap {
    'booking-cancelled': CustomEvent<BookingEventDetail>;
  }
}
