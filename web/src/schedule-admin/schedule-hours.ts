import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminDoctor, TimeRange, WeeklyRange } from '../lib/admin-api';
import { ScheduleSection, storedKey, timeOfDay } from './section';

export const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * A doctor's weekly hours: per weekday a list of ranges on the doctor's wall clock (two
 * ranges with a gap are a break). Save replaces the whole week at once, as the API does.
 */
@customElement('schedule-hours')
export class ScheduleHours extends ScheduleSection {
  /** The doctor whose week this is. */
  @property({ attribute: false }) doctor?: AdminDoctor;

  /** The week being edited: index 0 is Monday. */
  @state() private _week: TimeRange[][] = weekdays.map(() => []);
  private _loaded?: string;

  willUpdate(): void {
    // Another doctor, or new stored hours (the answer to a save), reset the form.
    if (this.doctor && storedKey(this.doctor, this.doctor.hours) !== this._loaded) {
      this._loaded = storedKey(this.doctor, this.doctor.hours);
      this._week = weekdays.map((_, i) =>
        this.doctor!.hours.filter((h) => h.weekday === i + 1).map((h) => ({ starts_at: timeOfDay(h.starts_at), ends_at: timeOfDay(h.ends_at) })),
      );
    }
  }

  render() {
    const doctor = this.doctor;
    if (!doctor) return html``;
    let index = 0;
    return html`<section aria-labelledby="hours-heading">
      <h3 id="hours-heading">Weekly hours</h3>
      <p class="hint" id="hours-hint">Times are HH:MM on ${doctor.name}'s clock (${doctor.timezone}); 24:00 ends at midnight. Two ranges on a day leave a break between them. A day with no range is closed.</p>
      <form novalidate @submit=${this._onSave}>
        ${this._week.map((ranges, day) => html`<fieldset>
          <legend>${weekdays[day]}</legend>
          ${ranges.length === 0 ? html`<p class="hint">Closed</p>` : ''}
          ${ranges.map((range, r) => {
            const at = index++;
            const id = `d${day + 1}r${r + 1}`;
            const label = `${weekdays[day]} range ${r + 1}`;
            return html`<div class="row">
              <div class="field narrow">
                <label for="${id}-from"><span class="visually-hidden">${label} </span>From</label>
                <input id="${id}-from" part="input" inputmode="numeric" autocomplete="off" placeholder="09:00" .value=${range.starts_at}
                  aria-invalid=${this._invalid(`hours.${at}.starts_at`)} aria-describedby=${ifDefined(this._describedBy(['hours-hint'], [`hours.${at}.starts_at`, `${id}-from-error`]))}
                  @input=${(e: Event) => this._set(day, r, 'starts_at', e)} />
                ${this._error(`hours.${at}.starts_at`, `${id}-from-error`)}
              </div>
              <div class="field narrow">
                <label for="${id}-to"><span class="visually-hidden">${label} </span>To</label>
                <input id="${id}-to" part="input" inputmode="numeric" autocomplete="off" placeholder="17:00" .value=${range.ends_at}
                  aria-invalid=${this._invalid(`hours.${at}.ends_at`) === 'true' || this._invalid(`hours.${at}`) === 'true' ? 'true' : 'false'}
                  aria-describedby=${ifDefined(this._describedBy([], [`hours.${at}.ends_at`, `${id}-to-error`], [`hours.${at}`, `${id}-error`]))}
                  @input=${(e: Event) => this._set(day, r, 'ends_at', e)} />
                ${this._error(`hours.${at}.ends_at`, `${id}-to-error`)}
              </div>
              <div class="cell">
                <button type="button" part="button" aria-label="Remove ${label}" @click=${() => this._remove(day, r)}>Remove</button>
              </div>
            </div>
            ${this._error(`hours.${at}`, `${id}-error`)}`;
          })}
          <button type="button" part="button" aria-label="Add range on ${weekdays[day]}" @click=${() => this._add(day)}>Add range</button>
        </fieldset>`)}
        <div class="actions">
          <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Save weekly hours</button>
        </div>
      </form>
      ${this._error('hours', 'hours-error')}
      ${this._renderOutcome(() => doctor.timezone)}
    </section>`;
  }

  private _set(day: number, r: number, key: keyof TimeRange, e: Event): void {
    const value = (e.target as HTMLInputElement).value.trim();
    this._week = this._week.map((ranges, d) => (d === day ? ranges.map((range, i) => (i === r ? { ...range, [key]: value } : range)) : ranges));
  }

  private _add(day: number): void {
    const ranges = this._week[day];
    // A new range starts where the day's last one ended, which is what a break usually wants.
    const after = ranges.at(-1)?.ends_at ?? '';
    this._week = this._week.map((rs, d) => (d === day ? [...rs, { starts_at: after, ends_at: '' }] : rs));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#d${day + 1}r${ranges.length + 1}-from`)?.focus());
  }

  private _remove(day: number, r: number): void {
    this._week = this._week.map((rs, d) => (d === day ? rs.filter((_, i) => i !== r) : rs));
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`button[aria-label="Add range on ${weekdays[day]}"]`)?.focus());
  }

  private async _onSave(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const doctor = this.doctor;
    if (!doctor) return;
    const hours: WeeklyRange[] = this._week.flatMap((ranges, day) => ranges.map((range) => ({ weekday: day + 1, ...range })));
    await this._write('the weekly hours', `Weekly hours of ${doctor.name} saved.`, (api) => api.setHours(doctor.id, hours));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-hours': ScheduleHours;
  }
}
