import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminApi, AdminDoctor, BookingRules, DoctorRules } from '../lib/admin-api';
import { renderStatus, unavailableText } from '../status';
import { ScheduleSection, storedKey } from './section';

type DurationRule = 'min_notice_minutes' | 'cancel_cutoff_minutes' | 'reschedule_cutoff_minutes';

const durations: Array<{ key: DurationRule; legend: string; hint: string }> = [
  { key: 'min_notice_minutes', legend: 'Minimum notice', hint: 'How long before its start a patient may still book a slot.' },
  { key: 'cancel_cutoff_minutes', legend: 'Cancel cutoff', hint: 'How long before the appointment a patient may still cancel it.' },
  { key: 'reschedule_cutoff_minutes', legend: 'Reschedule cutoff', hint: 'How long before the appointment a patient may still move it.' },
];

/** One rule as typed: hours and minutes of a duration, or days; '' is "not set". */
type Draft = Record<DurationRule, { hours: string; minutes: string }> & { horizon_days: string };

/**
 * Booking rules, in hours and minutes: the clinic's (no `doctor`), or one doctor's own, where
 * an empty rule takes the clinic's.
 */
@customElement('schedule-rules')
export class ScheduleRules extends ScheduleSection {
  /** Whose rules: a doctor's own, or the clinic's when unset. */
  @property({ attribute: false }) doctor?: AdminDoctor;

  @state() private _draft?: Draft;
  @state() private _loadProblem?: string;
  private _loaded?: string | AdminApi;

  willUpdate(): void {
    if (this.doctor) {
      const key = storedKey(this.doctor, this.doctor.rules);
      if (key !== this._loaded) [this._loaded, this._draft] = [key, toDraft(this.doctor.rules)];
    } else if (this.api && this.api !== this._loaded) {
      this._loaded = this.api;
      void this._loadClinicRules(this.api);
    }
  }

  render() {
    const own = this.doctor !== undefined;
    const heading = own ? `${this.doctor!.name}'s booking rules` : 'Clinic booking rules';
    const prefix = own ? 'doctor-rules' : 'clinic-rules';
    const draft = this._draft;
    return html`<section aria-labelledby="${prefix}-heading">
      <h3 id="${prefix}-heading">${heading}</h3>
      ${own ? html`<p class="hint" id="${prefix}-hint">Leave a rule empty to use the clinic's.</p>` : nothing}
      ${!draft
        ? renderStatus('loading', this._loadProblem ? { tone: 'error', text: this._loadProblem, action: { label: 'Try again', run: () => this.api && void this._loadClinicRules(this.api) } } : { tone: 'info', text: 'Loading the rules…' })
        : html`<form novalidate @submit=${this._onSave}>
            ${durations.map(({ key, legend, hint }) => html`<fieldset aria-describedby="${prefix}-${key}-hint">
              <legend>${legend}</legend>
              <p class="hint" id="${prefix}-${key}-hint">${hint}</p>
              <div class="row">
                ${(['hours', 'minutes'] as const).map((unit) => html`<div class="field narrow">
                  <label for="${prefix}-${key}-${unit}"><span class="visually-hidden">${legend} </span>${unit === 'hours' ? 'Hours' : 'Minutes'}</label>
                  <input id="${prefix}-${key}-${unit}" type="number" min="0" step="1" inputmode="numeric" part="input" .value=${draft[key][unit]}
                    aria-invalid=${this._invalid(key)} aria-describedby=${ifDefined(this._describedBy([], [key, `${prefix}-${key}-error`]))}
                    @input=${(e: Event) => this._setDuration(key, unit, e)} />
                </div>`)}
              </div>
              ${this._error(key, `${prefix}-${key}-error`)}
            </fieldset>`)}
            <div class="row"><div class="field">
              <label for="${prefix}-horizon">Days ahead bookable</label>
              <input id="${prefix}-horizon" type="number" min="1" max="3650" step="1" inputmode="numeric" part="input" .value=${draft.horizon_days}
                aria-invalid=${this._invalid('horizon_days')} aria-describedby=${ifDefined(this._describedBy([`${prefix}-horizon-hint`], ['horizon_days', `${prefix}-horizon-error`]))}
                @input=${(e: Event) => (this._draft = { ...draft, horizon_days: (e.target as HTMLInputElement).value })} />
              <p class="hint" id="${prefix}-horizon-hint">${own ? "Empty: the clinic's." : 'Empty: the service default (BOOKING_HORIZON_DAYS).'}</p>
              ${this._error('horizon_days', `${prefix}-horizon-error`)}
            </div></div>
            <div class="actions">
              <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>${own ? 'Save doctor rules' : 'Save clinic rules'}</button>
            </div>
          </form>`}
      ${this._renderOutcome(() => this.doctor?.timezone)}
    </section>`;
  }

  private async _loadClinicRules(api: AdminApi): Promise<void> {
    this._loadProblem = undefined;
    try {
      this._draft = toDraft(await api.rules());
    } catch {
      this._loadProblem = unavailableText('load the clinic rules');
    }
  }

  private _setDuration(key: DurationRule, unit: 'hours' | 'minutes', e: Event): void {
    if (!this._draft) return;
    this._draft = { ...this._draft, [key]: { ...this._draft[key], [unit]: (e.target as HTMLInputElement).value } };
  }

  private async _onSave(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (!this._draft) return;
    const rules = fromDraft(this._draft);
    const doctor = this.doctor;
    if (doctor) {
      await this._write('the rules', `${doctor.name}'s booking rules saved.`, (api) => api.setDoctorRules(doctor.id, rules));
      return;
    }
    const clinic: BookingRules = { ...rules, min_notice_minutes: rules.min_notice_minutes ?? 0, cancel_cutoff_minutes: rules.cancel_cutoff_minutes ?? 0, reschedule_cutoff_minutes: rules.reschedule_cutoff_minutes ?? 0 };
    const saved = await this._write('the clinic rules', 'Clinic booking rules saved.', (api) => api.setRules(clinic));
    if (saved) this._draft = toDraft(saved.rules);
  }
}

function toDraft(rules: DoctorRules): Draft {
  const duration = (minutes: number | null) => (minutes === null ? { hours: '', minutes: '' } : { hours: String(Math.floor(minutes / 60)), minutes: String(minutes % 60) });
  return {
    min_notice_minutes: duration(rules.min_notice_minutes),
    cancel_cutoff_minutes: duration(rules.cancel_cutoff_minutes),
    reschedule_cutoff_minutes: duration(rules.reschedule_cutoff_minutes),
    horizon_days: rules.horizon_days === null ? '' : String(rules.horizon_days),
  };
}

/** An empty rule is null (the clinic's, or for the horizon the service default). */
function fromDraft(draft: Draft): DoctorRules {
  const whole = (text: string) => (text.trim() === '' ? null : Number(text));
  const duration = ({ hours, minutes }: { hours: string; minutes: string }) => {
    const [h, m] = [whole(hours), whole(minutes)];
    return h === null && m === null ? null : (h ?? 0) * 60 + (m ?? 0);
  };
  return {
    min_notice_minutes: duration(draft.min_notice_minutes),
    horizon_days: whole(draft.horizon_days),
    cancel_cutoff_minutes: duration(draft.cancel_cutoff_minutes),
    reschedule_cutoff_minutes: duration(draft.reschedule_cutoff_minutes),
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-rules': ScheduleRules;
  }
}
