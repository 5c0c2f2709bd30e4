import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminApi, AdminDoctor, Holiday } from '../lib/admin-api';
import { formatDate, isDate } from '../lib/time';
import { renderStatus, unavailableText } from '../status';
import { ScheduleSection } from './section';

/** Clinic holidays: a date closed for every doctor, on each doctor's own calendar. */
@customElement('schedule-holidays')
export class ScheduleHolidays extends ScheduleSection {
  /** Every doctor, to show an affected appointment on its doctor's clock. */
  @property({ attribute: false }) doctors: AdminDoctor[] = [];

  @state() private _holidays?: Holiday[];
  @state() private _loadProblem?: string;
  @state() private _date = '';
  @state() private _name = '';
  private _loadedWith?: AdminApi;

  willUpdate(): void {
    if (this.api && this.api !== this._loadedWith) {
      this._loadedWith = this.api;
      void this._load(this.api);
    }
  }

  render() {
    const holidays = this._holidays;
    return html`<section aria-labelledby="holidays-heading">
      <h3 id="holidays-heading">Clinic holidays</h3>
      ${!holidays
        ? renderStatus('loading', this._loadProblem ? { tone: 'error', text: this._loadProblem, action: { label: 'Try again', run: () => this.api && void this._load(this.api) } } : { tone: 'info', text: 'Loading the holidays…' })
        : holidays.length
          ? html`<ul class="plain" aria-labelledby="holidays-heading">
              ${holidays.map((h) => html`<li class="row">
                <span class="grow">${formatDate(h.date, this.locale)}: ${h.name}</span>
                <button type="button" part="button" aria-label="Remove the holiday ${h.name} on ${h.date}" @click=${() => this._onRemove(h)}>Remove</button>
              </li>`)}
            </ul>`
          : html`<p class="hint">No holidays.</p>`}
      <form novalidate @submit=${this._onAdd}>
        <div class="row">
          <div class="field narrow">
            <label for="holiday-date">Holiday date</label>
            <input id="holiday-date" type="date" part="input" .value=${this._date} aria-invalid=${this._invalid('date')}
              aria-describedby=${ifDefined(this._describedBy([], ['date', 'holiday-date-error']))} @input=${(e: Event) => (this._date = (e.target as HTMLInputElement).value)} />
            ${this._error('date', 'holiday-date-error')}
          </div>
          <div class="field">
            <label for="holiday-name">Holiday name</label>
            <input id="holiday-name" part="input" maxlength="200" .value=${this._name} aria-invalid=${this._invalid('name')}
              aria-describedby=${ifDefined(this._describedBy([], ['name', 'holiday-name-error']))} @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)} />
            ${this._error('name', 'holiday-name-error')}
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Add holiday</button>
        </div>
      </form>
      ${this._renderOutcome((id) => this.doctors.find((d) => d.id === id)?.timezone)}
    </section>`;
  }

  private async _load(api: AdminApi): Promise<void> {
    this._loadProblem = undefined;
    try {
      this._holidays = await api.holidays();
    } catch {
      this._loadProblem = unavailableText('load the holidays');
    }
  }

  private async _onAdd(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const holiday = { date: this._date, name: this._name.trim() };
    if (!isDate(holiday.date) || !holiday.name) {
      this._issues = new Map([...(isDate(holiday.date) ? [] : [['date', 'Choose the date.'] as const]), ...(holiday.name ? [] : [['name', 'Name the holiday.'] as const])]);
      this._notice = { tone: 'error', text: 'Give the holiday a date and a name.' };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const added = await this._write('the holiday', `${holiday.name} on ${formatDate(holiday.date, this.locale)} is a clinic holiday.`, (api) => api.addHoliday(holiday));
    if (!added) return;
    [this._date, this._name] = ['', ''];
    this._holidays = [...(this._holidays ?? []).filter((h) => h.date !== added.holiday.date), added.holiday].sort((a, b) => a.date.localeCompare(b.date));
  }

  private async _onRemove(holiday: Holiday): Promise<void> {
    const removed = await this._write('the holiday', `${holiday.name} is no longer a holiday.`, (api) => api.removeHoliday(holiday.date));
    if (removed) this._holidays = (this._holidays ?? []).filter((h) => h.date !== holiday.date);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-holidays': ScheduleHolidays;
  }
}
