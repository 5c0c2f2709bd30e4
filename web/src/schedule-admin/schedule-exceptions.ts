import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminDoctor, TimeRange } from '../lib/admin-api';
import { formatDate, formatShortDay, formatTime, isDate } from '../lib/time';
import { ScheduleSection, timeOfDay } from './section';
import { instantOnWallClock } from './wall-clock';

/**
 * The exceptions to a doctor's week: a date with other hours or closed all day (an override),
 * and time off from one moment to another, both on the doctor's clock.
 */
@customElement('schedule-exceptions')
export class ScheduleExceptions extends ScheduleSection {
  /** The doctor whose exceptions these are. */
  @property({ attribute: false }) doctor?: AdminDoctor;

  @state() private _date = '';
  @state() private _closed = true;
  @state() private _ranges: TimeRange[] = [{ starts_at: '', ends_at: '' }];
  @state() private _offFrom = '';
  @state() private _offTo = '';
  @state() private _reason = '';

  render() {
    const doctor = this.doctor;
    if (!doctor) return html``;
    return html`
      <section aria-labelledby="overrides-heading">
        <h3 id="overrides-heading">Date overrides</h3>
        ${doctor.overrides.length
          ? html`<ul class="plain" aria-labelledby="overrides-heading">
              ${doctor.overrides.map((o) => html`<li class="row">
                <span class="grow">${formatDate(o.date, this.locale)}: ${o.ranges.length ? o.ranges.map((r) => `${timeOfDay(r.starts_at)}–${timeOfDay(r.ends_at)}`).join(', ') : 'closed all day'}</span>
                <button type="button" part="button" aria-label="Remove the override of ${o.date}" @click=${() => this._onRemoveOverride(o.date)}>Remove</button>
              </li>`)}
            </ul>`
          : html`<p class="hint">No date has other hours.</p>`}
        <form novalidate @submit=${this._onSaveOverride}>
          <div class="row">
            <div class="field narrow">
              <label for="override-date">Date</label>
              <input id="override-date" type="date" part="input" .value=${this._date} aria-invalid=${this._invalid('date')}
                aria-describedby=${ifDefined(this._describedBy([], ['date', 'override-date-error']))} @input=${(e: Event) => (this._date = (e.target as HTMLInputElement).value)} />
              ${this._error('date', 'override-date-error')}
            </div>
          </div>
          <div class="check">
            <input id="override-closed" type="checkbox" .checked=${this._closed} @change=${(e: Event) => (this._closed = (e.target as HTMLInputElement).checked)} />
            <label for="override-closed">Closed all day</label>
          </div>
          ${this._closed ? '' : this._renderRanges()}
          <div class="actions">
            <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Save date override</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="time-off-heading">
        <h3 id="time-off-heading">Time off</h3>
        ${doctor.time_off.length
          ? html`<ul class="plain" aria-labelledby="time-off-heading">
              ${doctor.time_off.map((t) => html`<li class="row">
                <span class="grow">${this._when(t.starts_at)} to ${this._when(t.ends_at)}${t.reason ? ` (${t.reason})` : ''}</span>
                <button type="button" part="button" aria-label="Remove the time off from ${this._when(t.starts_at)}" @click=${() => this._onRemoveTimeOff(t.id)}>Remove</button>
              </li>`)}
            </ul>`
          : html`<p class="hint">No time off ahead.</p>`}
        <form novalidate @submit=${this._onAddTimeOff}>
          <p class="hint" id="time-off-hint">From and to are read on ${doctor.name}'s clock (${doctor.timezone}).</p>
          <div class="row">
            <div class="field">
              <label for="time-off-from">Time off from</label>
              <input id="time-off-from" type="datetime-local" part="input" .value=${this._offFrom} aria-invalid=${this._invalid('starts_at')}
                aria-describedby=${ifDefined(this._describedBy(['time-off-hint'], ['starts_at', 'time-off-from-error']))} @input=${(e: Event) => (this._offFrom = (e.target as HTMLInputElement).value)} />
              ${this._error('starts_at', 'time-off-from-error')}
            </div>
            <div class="field">
              <label for="time-off-to">Time off to</label>
              <input id="time-off-to" type="datetime-local" part="input" .value=${this._offTo} aria-invalid=${this._invalid('ends_at')}
                aria-describedby=${ifDefined(this._describedBy(['time-off-hint'], ['ends_at', 'time-off-to-error']))} @input=${(e: Event) => (this._offTo = (e.target as HTMLInputElement).value)} />
              ${this._error('ends_at', 'time-off-to-error')}
            </div>
            <div class="field">
              <label for="time-off-reason">Reason <span class="optional">(optional, no patient details)</span></label>
              <input id="time-off-reason" part="input" maxlength="200" .value=${this._reason} aria-invalid=${this._invalid('reason')}
                aria-describedby=${ifDefined(this._describedBy([], ['reason', 'time-off-reason-error']))} @input=${(e: Event) => (this._reason = (e.target as HTMLInputElement).value)} />
              ${this._error('reason', 'time-off-reason-error')}
            </div>
          </div>
          <div class="actions">
            <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Add time off</button>
          </div>
        </form>
      </section>
      ${this._renderOutcome(() => doctor.timezone)}
    `;
  }

  private _renderRanges() {
    return html`<fieldset>
      <legend>Hours on that date</legend>
      ${this._ranges.map((range, r) => html`<div class="row">
        <div class="field narrow">
          <label for="override-r${r + 1}-from"><span class="visually-hidden">Range ${r + 1} </span>From</label>
          <input id="override-r${r + 1}-from" part="input" inputmode="numeric" placeholder="09:00" .value=${range.starts_at} aria-invalid=${this._invalid(`ranges.${r}.starts_at`)}
            aria-describedby=${ifDefined(this._describedBy([], [`ranges.${r}.starts_at`, `override-r${r + 1}-from-error`]))} @input=${(e: Event) => this._setRange(r, 'starts_at', e)} />
          ${this._error(`ranges.${r}.starts_at`, `override-r${r + 1}-from-error`)}
        </div>
        <div class="field narrow">
          <label for="override-r${r + 1}-to"><span class="visually-hidden">Range ${r + 1} </span>To</label>
          <input id="override-r${r + 1}-to" part="input" inputmode="numeric" placeholder="12:00" .value=${range.ends_at}
            aria-invalid=${this._issues.has(`ranges.${r}.ends_at`) || this._issues.has(`ranges.${r}`) ? 'true' : 'false'}
            aria-describedby=${ifDefined(this._describedBy([], [`ranges.${r}.ends_at`, `override-r${r + 1}-to-error`], [`ranges.${r}`, `override-r${r + 1}-error`]))}
            @input=${(e: Event) => this._setRange(r, 'ends_at', e)} />
          ${this._error(`ranges.${r}.ends_at`, `override-r${r + 1}-to-error`)}
        </div>
        <div class="cell">
          <button type="button" part="button" aria-label="Remove range ${r + 1}" @click=${() => (this._ranges = this._ranges.filter((_, i) => i !== r))}>Remove</button>
        </div>
      </div>
      ${this._error(`ranges.${r}`, `override-r${r + 1}-error`)}`)}
      <button type="button" part="button" @click=${() => (this._ranges = [...this._ranges, { starts_at: this._ranges.at(-1)?.ends_at ?? '', ends_at: '' }])}>Add range</button>
    </fieldset>`;
  }

  private _when(instant: string): string {
    const zone = this.doctor?.timezone ?? 'UTC';
    return `${formatShortDay(instant, zone, this.locale)} ${formatTime(instant, zone, this.locale)}`;
  }

  private _setRange(r: number, key: keyof TimeRange, e: Event): void {
    const value = (e.target as HTMLInputElement).value.trim();
    this._ranges = this._ranges.map((range, i) => (i === r ? { ...range, [key]: value } : range));
  }

  private async _onSaveOverride(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const doctor = this.doctor;
    if (!doctor) return;
    if (!isDate(this._date)) {
      this._issues = new Map([['date', 'Choose the date.']]);
      this._notice = { tone: 'error', text: 'Choose the date of the override.' };
      this.renderRoot.querySelector<HTMLInputElement>('#override-date')?.focus();
      return;
    }
    const ranges = this._closed ? [] : this._ranges;
    const date = this._date;
    const done = `${formatDate(date, this.locale)} is ${ranges.length ? 'set to other hours' : 'closed all day'} for ${doctor.name}.`;
    if (await this._write('the date override', done, (api) => api.setOverride(doctor.id, date, ranges))) this._date = '';
  }

  private async _onRemoveOverride(date: string): Promise<void> {
    const doctor = this.doctor;
    if (doctor) await this._write('the date override', `The override of ${formatDate(date, this.locale)} is removed.`, (api) => api.removeOverride(doctor.id, date));
  }

  private async _onAddTimeOff(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const doctor = this.doctor;
    if (!doctor) return;
    const starts = instantOnWallClock(this._offFrom, doctor.timezone);
    const ends = instantOnWallClock(this._offTo, doctor.timezone);
    if (!starts || !ends) {
      this._issues = new Map([...(starts ? [] : [['starts_at', 'Enter when the time off starts.'] as const]), ...(ends ? [] : [['ends_at', 'Enter when it ends.'] as const])]);
      this._notice = { tone: 'error', text: 'Enter when the time off starts and ends.' };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const reason = this._reason.trim();
    const added = await this._write('the time off', `Time off added for ${doctor.name}.`, (api) =>
      api.addTimeOff(doctor.id, { starts_at: starts, ends_at: ends, ...(reason ? { reason } : {}) }),
    );
    if (added) [this._offFrom, this._offTo, this._reason] = ['', '', ''];
  }

  private async _onRemoveTimeOff(id: number): Promise<void> {
    await this._write('the time off', 'The time off is removed.', (api) => api.removeTimeOff(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-exceptions': ScheduleExceptions;
  }
}
