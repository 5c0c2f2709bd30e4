import { html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ApiError, endpointsFromPage } from './api';
import { AdminApi, type AdminDoctor } from './lib/admin-api';
import { ScheduleSection, timeZones, type DoctorChangedEvent } from './schedule-admin/section';
import './schedule-admin/schedule-doctor';
import './schedule-admin/schedule-holidays';
import './schedule-admin/schedule-rules';
import { renderStatus, unavailableText } from './status';
import type { StaffSession } from './staff-session';

/**
 * The admin's schedule screens (issue 11): the doctors, active or not, and adding one; a
 * doctor's page (details, appointment types, weekly hours, date overrides, time off, rules);
 * the clinic's holidays and booking rules. Every write that leaves booked appointments outside
 * the new schedule lists them, so the admin can move or cancel them with notice.
 *
 * The staff page renders it for admins only, with its signed-in session; the API refuses
 * everyone else anyway (403).
 *
 * @csspart input - inputs and selects
 * @csspart button - buttons
 * @csspart status - each live message
 * @csspart affected - the appointments a change left outside the schedule
 * @cssprop --booking-accent - and the other --booking-* properties listed in styles.ts
 */
@customElement('schedule-admin')
export class ScheduleAdmin extends ScheduleSection {
  /** The staff page's sign-in; the element reads its access token at each request. */
  @property({ attribute: false }) session?: StaffSession;

  /** The admin-schedule function's base URL; by default the one the page configured. */
  @property({ attribute: false }) base: string = endpointsFromPage().adminSchedule;

  @state() private _doctors?: AdminDoctor[];
  @state() private _loadProblem?: string;
  @state() private _selectedId?: number;
  @state() private _newDoctor = { name: '', specialty: '', timezone: 'UTC', slot_minutes: '30' };

  willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('base') && this.api?.base !== this.base) {
      this._connectApi();
      void this._load();
    }
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (!this.api) this._connectApi();
    this.addEventListener('doctor-changed', this._onDoctorChanged as EventListener);
    this.addEventListener('staff-unauthorized', this._onUnauthorized);
    if (!this._doctors) void this._load();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('doctor-changed', this._onDoctorChanged as EventListener);
    this.removeEventListener('staff-unauthorized', this._onUnauthorized);
  }

  render() {
    const doctors = this._doctors;
    const selected = doctors?.find((d) => d.id === this._selectedId);
    return html`<div class="panel">
      <h2 id="schedule-heading">Schedule</h2>
      ${this.session?.me ? html`<p class="hint">Changes are made as ${this.session.me.name ?? this.session.me.sub} and kept in the audit trail.</p>` : nothing}
      <section aria-labelledby="doctors-heading">
        <h3 id="doctors-heading">Doctors</h3>
        ${!doctors
          ? renderStatus('doctors-status', this._loadProblem ? { tone: 'error', text: this._loadProblem, action: { label: 'Try again', run: () => void this._load() } } : { tone: 'info', text: 'Loading the doctors…' })
          : html`<ul class="plain" id="doctors" aria-labelledby="doctors-heading">
              ${doctors.map((d) => html`<li class="row">
                <span class="grow"><strong>${d.name}</strong>, ${d.specialty}, ${d.timezone} — ${d.active ? 'active' : 'inactive'}</span>
                <button type="button" part="button" aria-pressed=${d.id === this._selectedId ? 'true' : 'false'} aria-label="Open ${d.name}" @click=${() => this._open(d.id)}>Open</button>
              </li>`)}
            </ul>`}
        ${this._renderAddDoctor()}
      </section>
      ${selected
        ? html`<section aria-labelledby="doctor-heading" id="doctor-page">
            <h2 id="doctor-heading" tabindex="-1">${selected.name}</h2>
            <schedule-doctor .api=${this.api} .doctor=${selected} .locale=${this.locale}></schedule-doctor>
            <button type="button" part="button" @click=${this._onBackToList}>Back to the doctors</button>
          </section>`
        : nothing}
      <section aria-labelledby="clinic-heading">
        <h2 id="clinic-heading">The clinic</h2>
        <schedule-holidays .api=${this.api} .doctors=${doctors ?? []} .locale=${this.locale}></schedule-holidays>
        <schedule-rules .api=${this.api} .locale=${this.locale}></schedule-rules>
      </section>
    </div>`;
  }

  private _renderAddDoctor() {
    const draft = this._newDoctor;
    const field = (id: string, label: string, key: 'name' | 'specialty', max: number) => html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} part="input" maxlength=${max} autocomplete="off" .value=${draft[key]} aria-invalid=${this._invalid(key)}
        aria-describedby=${ifDefined(this._describedBy([], [key, `${id}-error`]))} @input=${(e: Event) => (this._newDoctor = { ...this._newDoctor, [key]: (e.target as HTMLInputElement).value })} />
      ${this._error(key, `${id}-error`)}
    </div>`;
    return html`<form id="add-doctor" novalidate aria-labelledby="add-doctor-heading" @submit=${this._onAddDoctor}>
      <h3 id="add-doctor-heading">Add doctor</h3>
      <div class="row">
        ${field('new-doctor-name', 'Name', 'name', 200)} ${field('new-doctor-specialty', 'Specialty', 'specialty', 200)}
        <div class="field">
          <label for="new-doctor-zone">Time zone</label>
          <select id="new-doctor-zone" part="input" aria-invalid=${this._invalid('timezone')}
            aria-describedby=${ifDefined(this._describedBy([], ['timezone', 'new-doctor-zone-error']))} @change=${(e: Event) => (this._newDoctor = { ...this._newDoctor, timezone: (e.target as HTMLSelectElement).value })}>
            ${timeZones().map((z) => html`<option ?selected=${z === draft.timezone}>${z}</option>`)}
          </select>
          ${this._error('timezone', 'new-doctor-zone-error')}
        </div>
        <div class="field">
          <label for="new-doctor-minutes">Default length (minutes)</label>
          <input id="new-doctor-minutes" type="number" min="5" max="240" step="5" inputmode="numeric" part="input" .value=${draft.slot_minutes} aria-invalid=${this._invalid('slot_minutes')}
            aria-describedby=${ifDefined(this._describedBy(['new-doctor-minutes-hint'], ['slot_minutes', 'new-doctor-minutes-error']))} @input=${(e: Event) => (this._newDoctor = { ...this._newDoctor, slot_minutes: (e.target as HTMLInputElement).value })} />
          <p class="hint" id="new-doctor-minutes-hint">The length of the default type, "Appointment".</p>
          ${this._error('slot_minutes', 'new-doctor-minutes-error')}
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Add doctor</button>
      </div>
      ${this._renderOutcome(() => undefined)}
    </form>`;
  }

  private _connectApi(): void {
    this.api = new AdminApi(this.base, () => this.session?.tokens?.accessToken);
  }

  private async _load(): Promise<void> {
    this._loadProblem = undefined;
    try {
      this._doctors = await this.api!.doctors();
    } catch (err) {
      this._loadProblem = err instanceof ApiError && !err.unavailable ? err.message : unavailableText('load the doctors');
      if (err instanceof ApiError && err.code === 'unauthorized') this._onUnauthorized();
    }
  }

  private async _open(id: number): Promise<void> {
    this._selectedId = id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#doctor-heading')?.focus();
  }

  private _onBackToList(): void {
    const id = this._selectedId;
    this._selectedId = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`#doctors li:nth-child(${(this._doctors?.findIndex((d) => d.id === id) ?? 0) + 1}) button`)?.focus());
  }

  private _onUnauthorized = (): void => {
    this.session?.end('Your sign-in has expired or was refused. Sign in again.');
  };

  private _onDoctorChanged = (e: DoctorChangedEvent): void => {
    const { doctor } = e.detail;
    const others = (this._doctors ?? []).filter((d) => d.id !== doctor.id);
    this._doctors = [...others, doctor].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  };

  private async _onAddDoctor(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const draft = this._newDoctor;
    const doctor = { name: draft.name.trim(), specialty: draft.specialty.trim(), timezone: draft.timezone, ...(draft.slot_minutes.trim() ? { slot_minutes: Number(draft.slot_minutes) } : {}) };
    const added = await this._write('the new doctor', `${doctor.name} added. Set their hours below: a doctor without hours has no slots.`, (api) => api.addDoctor(doctor));
    if (!added) return;
    this._newDoctor = { name: '', specialty: '', timezone: draft.timezone, slot_minutes: '30' };
    await this._open(added.doctor.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-admin': ScheduleAdmin;
  }
}
