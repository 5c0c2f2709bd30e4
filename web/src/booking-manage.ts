import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, pageApi, type Appointment, type BookingApi, type Doctor, type Slot } from './api';
import { bookingLookupStyles } from './booking-styles';
import { renderCancelConfirm } from './cancel-confirm';
import { appointmentWhen, doctorLabel, lookupFailure, type BookingEventDetail } from './lib/booking-controller';
import { dateIn, formatTime, localTimeZone } from './lib/time';
import { renderStatus, unavailableText, type Notice } from './status';
import { sharedStyles } from './styles';

/**
 * The page a patient reaches from the link in their e-mail (`/manage#<reference>`): their
 * appointment, with a move to another free time of the same doctor (one request that keeps the
 * booking: the old time stays theirs until the new one is) and a cancel. The reference comes in
 * the URL fragment, which the browser never sends, so no request line, proxy log or Referer
 * holds it; it is sent only in the API calls that need it.
 *
 * @fires booking-rescheduled - the patient moved the booking; `detail.appointment` (bubbles, composed)
 * @fires booking-cancelled - the patient cancelled it; `detail.appointment` (bubbles, composed)
 * @csspart panel - the panel
 * @csspart status - the live message
 * @csspart button - buttons
 */
@customElement('booking-manage')
export class BookingManage extends LitElement {
  static styles = [
    sharedStyles,
    bookingLookupStyles,
    css`
      fieldset {
        border: 0;
        padding: 0;
        margin: 0.75rem 0;
      }
      .times {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .times label {
        display: inline-flex;
        gap: 0.25rem;
        align-items: center;
      }
    `,
  ];

  /** The client to talk to; by default the one the page configured. */
  @property({ attribute: false }) api: BookingApi = pageApi();

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _appointment?: Appointment;
  @state() private _doctor?: Doctor;
  @state() private _day = '';
  @state() private _slots?: readonly Slot[];
  @state() private _chosen = '';
  @state() private _confirmingCancel = false;
  @state() private _busy = false;
  @state() private _notice?: Notice;

  private _reference = '';
  private readonly _patientZone = localTimeZone();

  connectedCallback(): void {
    super.connectedCallback();
    this._reference = decodeURIComponent(location.hash.replace(/^#/, '')).trim();
    if (!this._reference) {
      this._notice = { tone: 'warning', text: 'Open this page from the link in your booking e-mail; it carries your booking reference.' };
      return;
    }
    void this._load();
  }

  render() {
    const a = this._appointment;
    return html`<section class="panel" part="panel" aria-labelledby="manage-heading">
      <h2 id="manage-heading">Your appointment</h2>
      ${renderStatus('manage-status', this._notice)}
      ${a ? this._renderAppointment(a) : nothing}
      ${a?.status === 'booked' ? this._renderMove() : nothing}
      ${a?.status === 'booked' ? this._renderCancel() : nothing}
    </section>`;
  }

  private _renderAppointment(a: Appointment) {
    const when = appointmentWhen(a.appointment_time, this._doctor, this._patientZone, this.locale);
    return html`<dl id="appointment">
      <dt>Status</dt>
      <dd><span class="badge ${a.status}">${a.status === 'booked' ? 'Booked' : 'Cancelled'}</span></dd>
      <dt>Doctor</dt>
      <dd>${doctorLabel(this._doctor, a.doctor_id)}</dd>
      <dt>When</dt>
      <dd>${when.day} at ${when.time} ${when.city ? html`(${when.city} time)` : nothing}${when.local ? html`<br />${when.local} your time` : nothing}</dd>
    </dl>`;
  }

  private _renderMove() {
    const zone = this._doctor?.timezone ?? this._patientZone;
    const free = this._slots?.filter((s) => s.available) ?? [];
    return html`<form novalidate @submit=${this._onMove}>
      <h3>Move it to another time</h3>
      <div class="field">
        <label for="move-day">Day</label>
        <input id="move-day" type="date" .value=${this._day} min=${dateIn(zone)} @change=${this._onDayChange} />
      </div>
      ${this._slots === undefined
        ? nothing
        : free.length === 0
          ? html`<p id="no-times">No free times that day. Choose another day.</p>`
          : html`<fieldset>
              <legend>Free times on that day (${this._doctor ? `${zone.split('/').pop()?.replace(/_/g, ' ')} time` : 'your time'})</legend>
              <div class="times">
                ${free.map(
                  (s) => html`<label><input type="radio" name="time" .value=${s.start} .checked=${this._chosen === s.start} @change=${this._onTimeChange} />${formatTime(s.start, zone, this.locale)}</label>`,
                )}
              </div>
            </fieldset>
            <button type="submit" class="primary" part="button" id="move" aria-disabled=${this._busy || !this._chosen ? 'true' : 'false'}>Move my appointment</button>`}
    </form>`;
  }

  private _renderCancel() {
    return renderCancelConfirm(this._confirmingCancel, {
      ask: () => this._onCancelAsked(),
      keep: () => this._onCancelAbandoned(),
      confirm: () => this._onCancelConfirmed(),
    });
  }

  private async _focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async _load(): Promise<void> {
    this._busy = true;
    this._notice = { tone: 'info', text: 'Looking up your appointment…' };
    try {
      const [appointment, doctors] = await Promise.all([this.api.find(this._reference), this.api.doctors().catch(() => undefined)]);
      this._appointment = appointment;
      this._doctor = doctors?.find((d) => d.id === appointment.doctor_id);
      this._day = dateIn(this._doctor?.timezone ?? this._patientZone, new Date(appointment.appointment_time));
      this._notice = { tone: 'info', text: appointment.status === 'booked' ? 'Here is your appointment.' : 'This appointment has been cancelled.' };
    } catch (err) {
      this._notice = lookupFailure(err, 'find your appointment', () => void this._load());
    } finally {
      this._busy = false;
    }
  }

  private async _loadTimes(): Promise<void> {
    const a = this._appointment;
    if (!a || !this._day) return;
    this._chosen = '';
    try {
      const day = await this.api.slots(a.doctor_id, this._day);
      this._slots = day.slots;
    } catch (err) {
      this._slots = undefined;
      this._notice = err instanceof ApiError && !err.unavailable ? { tone: 'error', text: err.message } : { tone: 'error', text: unavailableText('show the free times') };
    }
  }

  private async _move(time: string): Promise<void> {
    this._busy = true;
    this._notice = { tone: 'info', text: 'Moving your appointment…' };
    try {
      const appointment = await this.api.reschedule(this._reference, time);
      this._appointment = appointment;
      this._slots = undefined;
      this._chosen = '';
      const when = appointmentWhen(appointment.appointment_time, this._doctor, this._patientZone, this.locale);
      this._notice = { tone: 'success', text: `Your appointment is moved to ${when.day} at ${when.time}.` };
      this.dispatchEvent(new CustomEvent<BookingEventDetail>('booking-rescheduled', { detail: { appointment }, bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'slot_taken') {
        this._notice = { tone: 'warning', text: 'That time has just been taken. Your appointment is unchanged; choose another time.' };
        await this._loadTimes();
      } else if (err instanceof ApiError && !err.unavailable) {
        this._notice = { tone: 'error', text: err.message };
      } else {
        this._notice = { tone: 'error', text: unavailableText('move your appointment'), action: { label: 'Try again', run: () => void this._move(time) } };
      }
    } finally {
      this._busy = false;
    }
    void this._focus('#manage-status');
  }

  private async _cancel(): Promise<void> {
    this._busy = true;
    this._notice = { tone: 'info', text: 'Cancelling…' };
    try {
      const appointment = await this.api.cancel(this._reference);
      this._appointment = appointment;
      this._confirmingCancel = false;
      this._notice = { tone: 'success', text: 'Your appointment is cancelled.' };
      this.dispatchEvent(new CustomEvent<BookingEventDetail>('booking-cancelled', { detail: { appointment }, bubbles: true, composed: true }));
    } catch (err) {
      this._notice = lookupFailure(err, 'cancel your appointment', () => void this._cancel());
    } finally {
      this._busy = false;
    }
    void this._focus('#manage-status');
  }

  private _onDayChange(e: Event): void {
    this._day = (e.target as HTMLInputElement).value;
    void this._loadTimes();
  }

  private _onTimeChange(e: Event): void {
    this._chosen = (e.target as HTMLInputElement).value;
  }

  private _onMove(e: SubmitEvent): void {
    e.preventDefault();
    if (this._busy) return;
    if (!this._chosen) {
      this._notice = { tone: 'warning', text: 'Choose a new time first.' };
      return;
    }
    void this._move(this._chosen);
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
    if (!this._busy) void this._cancel();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'booking-manage': BookingManage;
  }
  interface HTMLElementEventMap {
    'booking-rescheduled': CustomEvent<BookingEventDetail>;
  }
}
