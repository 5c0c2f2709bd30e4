import { Task } from '@lit/task';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, type Doctor } from './api';
import { formatDate, formatTime } from './lib/time';
import { StaffApi, statusActions, type StaffAppointment, type StaffNote, type StaffOffer, type StatusAction } from './lib/staff-api';
import { renderStatus, unavailableText, type Notice } from './status';
import { staffStyles } from './staff-styles';
import { sharedStyles } from './styles';

/** The visit's status as the front desk says it (booked → arrived → completed, no-show, cancelled). */
export const statusLabels: Record<string, string> = { booked: 'Booked', arrived: 'Arrived', completed: 'Seen', no_show: 'Did not attend', cancelled: 'Cancelled' };

export interface VisitChangedDetail {
  id: number;
  status: string;
}

/**
 * One appointment for the front desk: when, who and (for the roles that may see it) how to
 * reach them; the status changes its current status allows; and the internal notes. Every
 * read and write here is a line in the staff audit trail, server-side.
 *
 * @fires visit-changed - after a status change, so the listing can show it
 * @fires visit-closed - when staff close the panel
 * @csspart panel - the panel
 * @csspart button - buttons
 * @csspart input - the note and reason fields
 */
@customElement('visit-panel')
export class VisitPanel extends LitElement {
  static styles = [
    sharedStyles,
    staffStyles,
    css`
      .notes-heading {
        font-size: 1rem;
        margin: 1.25rem 0 0.5rem;
      }
      .close {
        margin-top: 1rem;
      }
    `,
  ];

  /** The client with the signed-in person's token. */
  @property({ attribute: false }) api?: StaffApi;

  /** The appointment shown. */
  @property({ type: Number, attribute: 'appointment-id' }) appointmentId = 0;

  /** What the signed-in person may do, for which buttons to offer (the server checks anyway). */
  @property({ attribute: false }) offer: StaffOffer = { visit: false, frontDesk: false, audit: false, schedule: false };

  /** The doctors, for the name and the clock an appointment is read on. */
  @property({ attribute: false }) doctors: Doctor[] = [];

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _notice?: Notice;
  @state() private _busy = false;
  /** The status change waiting for its reason, while staff type it. */
  @state() private _pending?: StatusAction;

  private _appointment = new Task(this, {
    task: ([api, id], { signal }) => (api && id ? api.appointment(id, signal) : Promise.resolve(undefined)),
    args: () => [this.api, this.appointmentId] as const,
  });

  private _notes = new Task(this, {
    task: ([api, id, visit], { signal }) => (api && id && visit ? api.notes(id, signal) : Promise.resolve(undefined)),
    args: () => [this.api, this.appointmentId, this.offer.visit] as const,
  });

  /** Focus the heading when a new appointment opens, so a screen reader hears where it is. */
  protected updated(changed: PropertyValues<this>): void {
    if (changed.has('appointmentId') && this.appointmentId) {
      this._notice = undefined;
      this._pending = undefined;
      this.renderRoot.querySelector<HTMLElement>('#visit-heading')?.focus();
    }
  }

  render() {
    return html`
      <section class="subpanel" part="panel" aria-labelledby="visit-heading">
        <h3 id="visit-heading" tabindex="-1">Appointment ${this.appointmentId}</h3>
        ${this._appointment.render({
          pending: () => (this._appointment.value ? this._renderAppointment(this._appointment.value) : html`<p>Loading the appointment…</p>`),
          complete: (a) => (a ? this._renderAppointment(a) : nothing),
          error: (e) => renderStatus('visit-load', { tone: 'error', text: e instanceof ApiError && !e.unavailable ? e.message : unavailableText('load this appointment'), action: { label: 'Try again', run: () => void this._appointment.run() } }),
        })}
        ${renderStatus('visit-status', this._notice)}
        <div class="actions close">
          <button type="button" part="button" @click=${this._onClose}>Close</button>
        </div>
      </section>
    `;
  }

  private _renderAppointment(a: StaffAppointment) {
    const doctor = this.doctors.find((d) => d.id === a.doctor_id);
    const zone = doctor?.timezone ?? 'UTC';
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(a.appointment_time));
    const actions = statusActions(a.status, this.offer);
    return html`
      <dl>
        <dt>Patient</dt>
        <dd>${a.patient_name ?? 'Removed (retention or erasure)'}</dd>
        <dt>When</dt>
        <dd>${formatDate(day, this.locale)}, ${formatTime(a.appointment_time, zone, this.locale)}–${formatTime(a.end_time, zone, this.locale)}${doctor ? nothing : ' UTC'}</dd>
        <dt>Doctor</dt>
        <dd>${doctor?.name ?? `Doctor ${a.doctor_id}`}</dd>
        <dt>Status</dt>
        <dd id="visit-current-status">${statusLabels[a.status] ?? a.status}</dd>
        ${'patient_email' in a ? html`<dt>E-mail</dt><dd id="visit-email">${a.patient_email ?? 'Not given'}</dd>` : nothing}
        ${'patient_phone' in a ? html`<dt>Phone</dt><dd id="visit-phone">${a.patient_phone ?? 'Not given'}</dd>` : nothing}
      </dl>
      ${actions.length && !this._pending
        ? html`<div class="actions" role="group" aria-label="Change the status">
            ${actions.map((action) => html`<button type="button" part="button" class=${action.needsReason ? 'danger' : 'primary'} aria-disabled=${this._busy ? 'true' : 'false'} @click=${() => this._onAction(action)}>${action.label}</button>`)}
          </div>`
        : nothing}
      ${this._pending ? this._renderReason(this._pending) : nothing}
      ${this.offer.visit ? this._renderNotes() : nothing}
    `;
  }

  private _renderReason(action: StatusAction) {
    return html`<form novalidate @submit=${this._onReason}>
      <div class="field">
        <label for="reason">Reason for cancelling</label>
        <textarea id="reason" part="input" maxlength="500" required aria-describedby="reason-hint"></textarea>
        <p id="reason-hint" class="hint">Kept as an internal note on this appointment. The time is freed for others.</p>
      </div>
      <div class="actions">
        <button type="submit" class="danger" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Confirm: ${action.label.toLowerCase()}</button>
        <button type="button" part="button" @click=${this._onKeep}>Keep the appointment</button>
      </div>
    </form>`;
  }

  private _renderNotes() {
    const notes = this._notes.value ?? [];
    return html`
      <h4 class="notes-heading" id="notes-heading">Internal notes</h4>
      ${this._notes.render({
        pending: () => (notes.length ? this._renderNoteList(notes) : html`<p>Loading notes…</p>`),
        complete: (items) => (items && items.length ? this._renderNoteList(items) : html`<p id="no-notes">No notes yet.</p>`),
        error: () => html`<p>${unavailableText('load the notes')}</p>`,
      })}
      <form novalidate @submit=${this._onAddNote}>
        <div class="field">
          <label for="note">New note</label>
          <textarea id="note" part="input" maxlength="2000" aria-describedby="note-hint"></textarea>
          <p id="note-hint" class="hint">Staff only; never shown to the patient. Notes cannot be changed once added.</p>
        </div>
        <button type="submit" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Add note</button>
      </form>
    `;
  }

  private _renderNoteList(notes: StaffNote[]) {
    return html`<ul class="notes" aria-labelledby="notes-heading">
      ${notes.map((n) => html`<li>
        <p><strong>${n.author.name ?? n.author.sub}</strong>, <time datetime=${n.created_at}>${new Date(n.created_at).toLocaleString(this.locale)}</time></p>
        <p>${n.body}</p>
      </li>`)}
    </ul>`;
  }

  private _onAction(action: StatusAction): void {
    if (this._busy) return;
    if (action.needsReason) {
      this._pending = action;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('#reason')?.focus());
      return;
    }
    void this._change(action);
  }

  private _onReason(e: SubmitEvent): void {
    e.preventDefault();
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#reason')!;
    const reason = field.value.trim();
    if (!reason) {
      this._notice = { tone: 'error', text: 'Say why the appointment is cancelled.' };
      field.focus();
      return;
    }
    if (this._pending) void this._change(this._pending, reason);
  }

  private _onKeep(): void {
    this._pending = undefined;
  }

  private async _change(action: StatusAction, reason?: string): Promise<void> {
    if (!this.api || this._busy) return;
    this._busy = true;
    try {
      const changed = await this.api.changeStatus(this.appointmentId, reason === undefined ? { status: action.status } : { status: action.status, reason });
      this._pending = undefined;
      this._notice = { tone: 'success', text: `Marked ${statusLabels[changed.status] ?? changed.status}.` };
      this.dispatchEvent(new CustomEvent<VisitChangedDetail>('visit-changed', { detail: { id: changed.id, status: changed.status }, bubbles: true, composed: true }));
      await Promise.all([this._appointment.run(), this._notes.run()]);
    } catch (e) {
      this._notice = { tone: 'error', text: e instanceof ApiError && !e.unavailable ? e.message : unavailableText('change the status') };
    } finally {
      this._busy = false;
    }
    this.renderRoot.querySelector<HTMLElement>('#visit-status')?.focus();
  }

  private async _onAddNote(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this.api || this._busy) return;
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#note')!;
    const body = field.value.trim();
    if (!body) {
      this._notice = { tone: 'error', text: 'Write the note first.' };
      field.focus();
      return;
    }
    this._busy = true;
    try {
      await this.api.addNote(this.appointmentId, body);
      field.value = '';
      this._notice = { tone: 'success', text: 'Note added.' };
      await this._notes.run();
    } catch (err) {
      this._notice = { tone: 'error', text: err instanceof ApiError && !err.unavailable ? err.message : unavailableText('add the note') };
    } finally {
      this._busy = false;
    }
  }

  private _onClose(): void {
    this.dispatchEvent(new CustomEvent('visit-closed', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'visit-panel': VisitPanel;
  }
}
