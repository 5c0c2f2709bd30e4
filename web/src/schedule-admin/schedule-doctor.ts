import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminDoctor } from '../lib/admin-api';
import { ScheduleSection, storedKey, timeZones } from './section';
import './schedule-exceptions';
import './schedule-hours';
import './schedule-rules';
import './schedule-types';

interface DetailsDraft {
  name: string;
  specialty: string;
  timezone: string;
}

/**
 * One doctor's page: name, specialty and time zone, active or not, and then the doctor's
 * appointment types, week, exceptions and rules, each its own form.
 */
@customElement('schedule-doctor')
export class ScheduleDoctor extends ScheduleSection {
  /** The doctor shown; the parent passes the server's latest answer. */
  @property({ attribute: false }) doctor?: AdminDoctor;

  @state() private _draft: DetailsDraft = { name: '', specialty: '', timezone: '' };
  private _loaded?: string;

  willUpdate(): void {
    const d = this.doctor;
    const stored = d && { name: d.name, specialty: d.specialty, timezone: d.timezone };
    if (stored && storedKey(d, stored) !== this._loaded) [this._loaded, this._draft] = [storedKey(d, stored), stored];
  }

  render() {
    const doctor = this.doctor;
    if (!doctor) return html``;
    const draft = this._draft;
    return html`
      <section aria-labelledby="details-heading">
        <h3 id="details-heading">Details</h3>
        <p>${doctor.name} is <strong>${doctor.active ? 'active' : 'inactive'}</strong>${doctor.active ? ': patients can book.' : ': no slots, not listed to patients.'}</p>
        <form novalidate @submit=${this._onSave}>
          <div class="row">
            ${this._text('doctor-name', 'Name', 'name', draft.name, 200)}
            ${this._text('doctor-specialty', 'Specialty', 'specialty', draft.specialty, 200)}
            <div class="field">
              <label for="doctor-zone">Time zone</label>
              <select id="doctor-zone" part="input" aria-invalid=${this._invalid('timezone')}
                aria-describedby=${ifDefined(this._describedBy(['doctor-zone-hint'], ['timezone', 'doctor-zone-error']))} @change=${(e: Event) => (this._draft = { ...draft, timezone: (e.target as HTMLSelectElement).value })}>
                ${timeZones().map((z) => html`<option ?selected=${z === draft.timezone}>${z}</option>`)}
              </select>
              <p class="hint" id="doctor-zone-hint">Hours are kept on this clock; changing it moves them.</p>
              ${this._error('timezone', 'doctor-zone-error')}
            </div>
          </div>
          <div class="actions">
            <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Save details</button>
            <button type="button" part="button" class=${doctor.active ? 'danger' : ''} aria-disabled=${this._busy ? 'true' : 'false'} @click=${this._onToggleActive}>
              ${doctor.active ? 'Deactivate' : 'Reactivate'} ${doctor.name}
            </button>
          </div>
        </form>
        ${this._renderOutcome(() => doctor.timezone)}
      </section>
      <schedule-types .api=${this.api} .doctor=${doctor} .locale=${this.locale}></schedule-types>
      <schedule-hours .api=${this.api} .doctor=${doctor} .locale=${this.locale}></schedule-hours>
      <schedule-exceptions .api=${this.api} .doctor=${doctor} .locale=${this.locale}></schedule-exceptions>
      <schedule-rules .api=${this.api} .doctor=${doctor} .locale=${this.locale}></schedule-rules>
    `;
  }

  private _text(id: string, label: string, key: 'name' | 'specialty', value: string, max: number) {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} part="input" maxlength=${max} autocomplete="off" .value=${value} aria-invalid=${this._invalid(key)}
        aria-describedby=${ifDefined(this._describedBy([], [key, `${id}-error`]))} @input=${(e: Event) => (this._draft = { ...this._draft, [key]: (e.target as HTMLInputElement).value })} />
      ${this._error(key, `${id}-error`)}
    </div>`;
  }

  private async _onSave(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const doctor = this.doctor;
    if (!doctor) return;
    const patch = { name: this._draft.name.trim(), specialty: this._draft.specialty.trim(), timezone: this._draft.timezone };
    await this._write('the details', `${patch.name}'s details saved.`, (api) => api.updateDoctor(doctor.id, patch));
  }

  private async _onToggleActive(): Promise<void> {
    const doctor = this.doctor;
    if (!doctor) return;
    const active = !doctor.active;
    const done = active ? `${doctor.name} is active again: patients can book.` : `${doctor.name} is deactivated: no new bookings, not listed to patients.`;
    await this._write(active ? 'the reactivation' : 'the deactivation', done, (api) => api.updateDoctor(doctor.id, { active }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-doctor': ScheduleDoctor;
  }
}
