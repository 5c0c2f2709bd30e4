import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from './api';
import { StaffApi, type AuditFilter, type StaffAuditEntry } from './lib/staff-api';
import { renderStatus, unavailableText, type Notice } from './status';
import { staffStyles } from './staff-styles';
import { sharedStyles } from './styles';

/**
 * Actions the trail records (functions/core/staff-*.ts, booking, cancel, schedule-admin), offered
 * as suggestions: the field takes any action, so one added later can still be filtered on.
 */
const knownActions = [
  'appointments.list', 'appointment.read', 'appointment.arrived', 'appointment.completed', 'appointment.no_show', 'appointment.cancelled',
  'appointment.booked_for_patient', 'appointment.cancelled_for_patient', 'appointment.rescheduled_for_patient', 'notes.read', 'note.add', 'audit.read',
  'schedule.doctor_created', 'schedule.doctor_updated', 'schedule.hours_replaced', 'schedule.override_set', 'schedule.time_off_added', 'schedule.holiday_added', 'schedule.rules_changed',
];

/**
 * The staff audit trail for admins: who read or changed which appointment, when, from where
 * and under which request id, newest first, filtered and a page at a time ("Older entries"
 * adds the next page below). Rows carry appointment ids, never a patient's name or contact.
 * Reading the trail is itself on it. It loads the first time it is shown (`active`).
 *
 * @csspart button - buttons
 * @csspart input - inputs and selects
 * @csspart table - the table of entries
 */
@customElement('audit-trail')
export class AuditTrail extends LitElement {
  static styles = [sharedStyles, staffStyles];

  /** The client with the signed-in admin's token. */
  @property({ attribute: false }) api?: StaffApi;

  /** Shown now; the first time it is, the newest entries load. */
  @property({ type: Boolean }) active = false;

  /** Entries per page, 1 to 200. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _entries: StaffAuditEntry[] = [];
  @state() private _next: string | null = null;
  @state() private _notice?: Notice;
  @state() private _busy = false;
  @state() private _loaded = false;
  /** The filter the entries shown were fetched with; "Older entries" keeps it. */
  private _filter: AuditFilter = {};

  protected updated(changed: PropertyValues<this>): void {
    if ((changed.has('active') || changed.has('api')) && this.active && this.api && !this._loaded) {
      const filter = this._readFilter();
      if (typeof filter !== 'string') void this._load(filter, false);
    }
  }

  render() {
    return html`
      <form novalidate @submit=${this._onFilter} aria-labelledby="audit-heading">
        <h3 id="audit-heading">Audit trail</h3>
        <div class="filters">
          <div class="field">
            <label for="audit-actor">Actor (sub)</label>
            <input id="audit-actor" part="input" autocomplete="off" />
          </div>
          <div class="field">
            <label for="audit-action">Action</label>
            <input id="audit-action" part="input" list="audit-actions" autocomplete="off" aria-describedby="audit-action-hint" />
            <datalist id="audit-actions">${knownActions.map((a) => html`<option value=${a}></option>`)}</datalist>
            <span id="audit-action-hint" class="visually-hidden">Empty for any action, or one like appointment.arrived.</span>
          </div>
          <div class="field">
            <label for="audit-appointment">Appointment id</label>
            <input id="audit-appointment" part="input" inputmode="numeric" autocomplete="off" />
          </div>
          <div class="field"></div>
          <div class="field">
            <label for="audit-from">From</label>
            <input id="audit-from" type="datetime-local" part="input" aria-describedby="audit-time-hint" />
          </div>
          <div class="field">
            <label for="audit-to">To</label>
            <input id="audit-to" type="datetime-local" part="input" aria-describedby="audit-time-hint" />
          </div>
          <div class="field">
            <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Show entries</button>
          </div>
        </div>
        <p id="audit-time-hint" class="hint">Times are this computer's clock; "to" is not included.</p>
      </form>
      ${renderStatus('audit-status', this._notice)}
      ${this._entries.length ? this._renderTable() : nothing}
    `;
  }

  private _renderTable() {
    return html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-caption">
        <table part="table">
          <caption id="audit-caption">Audit trail, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Appointments</th>
              <th scope="col">Request id</th>
              <th scope="col">Client address</th>
            </tr>
          </thead>
          <tbody>
            ${this._entries.map((e) => html`<tr>
              <td class="when"><time datetime=${e.at}>${new Date(e.at).toLocaleString(this.locale)}</time></td>
              <td>${e.actor.name ?? e.actor.sub} (${e.actor.role})<br /><span class="hint">${e.actor.sub}</span></td>
              <td>${e.action}</td>
              <td>${e.appointment_ids.length ? e.appointment_ids.join(', ') : '—'}</td>
              <td>${e.request_id ?? '—'}</td>
              <td>${e.client_address ?? '—'}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${this._next ? html`<div class="actions"><button type="button" part="button" aria-disabled=${this._busy ? 'true' : 'false'} @click=${this._onOlder}>Older entries</button></div>` : nothing}
    `;
  }

  /** Reads the filter form; a problem is a sentence for the live region. */
  private _readFilter(): AuditFilter | string {
    const value = (id: string) => this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() ?? '';
    const filter: AuditFilter = { limit: Math.min(200, Math.max(1, Math.trunc(this.pageSize) || 50)) };
    if (value('audit-actor')) filter.actor = value('audit-actor');
    const action = value('audit-action');
    if (action) {
      if (!/^[a-z_]+\.[a-z_]+$/.test(action)) return 'An action looks like appointment.arrived.';
      filter.action = action;
    }
    const id = value('audit-appointment');
    if (id) {
      if (!/^[1-9][0-9]{0,17}$/.test(id)) return 'The appointment id is a whole number, like 42.';
      filter.appointment_id = Number(id);
    }
    for (const [key, field] of [['from', 'audit-from'], ['to', 'audit-to']] as const) {
      const local = value(field);
      if (!local) continue;
      const at = new Date(local);
      if (Number.isNaN(at.getTime())) return `The "${key}" time is not a date and time.`;
      filter[key] = at.toISOString();
    }
    if (filter.from && filter.to && filter.from >= filter.to) return '"To" must be later than "from".';
    return filter;
  }

  private async _load(filter: AuditFilter, older: boolean): Promise<void> {
    if (!this.api || this._busy) return;
    this._busy = true;
    this._loaded = true;
    this._notice = { tone: 'info', text: 'Loading the audit trail…' };
    try {
      const page = await this.api.audit(filter);
      this._filter = filter;
      this._entries = older ? [...this._entries, ...page.items] : page.items;
      this._next = page.next_cursor;
      this._notice = {
        tone: 'info',
        text: this._entries.length === 0 ? 'No entries match.' : `${this._entries.length} entr${this._entries.length === 1 ? 'y' : 'ies'} shown${page.next_cursor ? '; older ones follow' : ''}.`,
      };
    } catch (e) {
      this._notice = { tone: 'error', text: e instanceof ApiError && !e.unavailable ? e.message : unavailableText('load the audit trail') };
    } finally {
      this._busy = false;
    }
  }

  private _onFilter(e: SubmitEvent): void {
    e.preventDefault();
    const filter = this._readFilter();
    if (typeof filter === 'string') {
      this._notice = { tone: 'error', text: filter };
      return;
    }
    void this._load(filter, false);
  }

  private _onOlder(): void {
    if (this._next) void this._load({ ...this._filter, cursor: this._next }, true);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'audit-trail': AuditTrail;
  }
}
