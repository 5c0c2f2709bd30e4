import { html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminDoctor, AppointmentType } from '../lib/admin-api';
import { ScheduleSection, storedKey } from './section';

/** A type being edited: its fields as typed. */
interface TypeDraft {
  name: string;
  minutes: string;
}

/**
 * A doctor's appointment types: each a name and a length; one is the default, which a
 * booking that names no type gets. A type is deactivated, never deleted (bookings name it).
 */
@customElement('schedule-types')
export class ScheduleTypes extends ScheduleSection {
  /** The doctor whose types these are. */
  @property({ attribute: false }) doctor?: AdminDoctor;

  @state() private _name = '';
  @state() private _minutes = '';
  @state() private _isDefault = false;
  /** Edits in progress, by type id. */
  @state() private _drafts = new Map<number, TypeDraft>();
  /** Which form the last write came from, so its field issues show there and nowhere else. */
  @state() private _target?: 'add' | number;
  private _loaded?: string;

  willUpdate(): void {
    const key = storedKey(this.doctor, this.doctor?.appointment_types);
    if (key !== this._loaded) [this._loaded, this._drafts] = [key, new Map()];
  }

  render() {
    const doctor = this.doctor;
    if (!doctor) return html``;
    return html`<section aria-labelledby="types-heading">
      <h3 id="types-heading">Appointment types</h3>
      <ul class="plain" aria-labelledby="types-heading">
        ${doctor.appointment_types.map((t) => this._renderType(t))}
      </ul>
      <form novalidate @submit=${this._onAdd} aria-labelledby="add-type-heading">
        <h4 id="add-type-heading">Add a type</h4>
        <div class="row">
          <div class="field">
            <label for="type-name">Type name</label>
            <input id="type-name" part="input" maxlength="100" .value=${this._name} aria-invalid=${this._invalid(this._path('add', 'name'))}
              aria-describedby=${ifDefined(this._describedBy([], [this._path('add', 'name'), 'type-name-error']))} @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)} />
            ${this._error(this._path('add', 'name'), 'type-name-error')}
          </div>
          <div class="field narrow">
            <label for="type-minutes">Minutes</label>
            <input id="type-minutes" type="number" min="5" max="480" step="5" inputmode="numeric" part="input" .value=${this._minutes} aria-invalid=${this._invalid(this._path('add', 'minutes'))}
              aria-describedby=${ifDefined(this._describedBy([], [this._path('add', 'minutes'), 'type-minutes-error']))} @input=${(e: Event) => (this._minutes = (e.target as HTMLInputElement).value)} />
            ${this._error(this._path('add', 'minutes'), 'type-minutes-error')}
          </div>
        </div>
        <div class="check">
          <input id="type-default" type="checkbox" .checked=${this._isDefault} @change=${(e: Event) => (this._isDefault = (e.target as HTMLInputElement).checked)} />
          <label for="type-default">Default type (what a booking gets when it names none)</label>
        </div>
        <div class="actions">
          <button type="submit" class="primary" part="button" aria-disabled=${this._busy ? 'true' : 'false'}>Add type</button>
        </div>
      </form>
      ${this._renderOutcome(() => doctor.timezone)}
    </section>`;
  }

  private _renderType(type: AppointmentType) {
    const draft = this._drafts.get(type.id);
    const state = [type.is_default ? 'default' : '', type.active ? '' : 'inactive'].filter(Boolean).join(', ');
    if (!draft) {
      return html`<li class="row">
        <span class="grow">${type.name}, ${type.minutes} min${state ? ` (${state})` : ''}</span>
        <button type="button" part="button" aria-label="Edit ${type.name}" @click=${() => this._edit(type)}>Edit</button>
        ${type.is_default || !type.active ? '' : html`<button type="button" part="button" aria-label="Make default: ${type.name}" @click=${() => this._patch(type, { is_default: true }, `${type.name} is now the default type.`)}>Make default</button>`}
        ${type.is_default
          ? ''
          : html`<button type="button" part="button" aria-label="${type.active ? 'Deactivate' : 'Reactivate'} ${type.name}"
              @click=${() => this._patch(type, { active: !type.active }, `${type.name} is ${type.active ? 'deactivated: patients can no longer book it' : 'bookable again'}.`)}>${type.active ? 'Deactivate' : 'Reactivate'}</button>`}
      </li>`;
    }
    const id = `type-${type.id}`;
    return html`<li>
      <form novalidate class="row" aria-label="Edit ${type.name}" @submit=${(e: SubmitEvent) => this._onSaveEdit(e, type)}>
        <div class="field">
          <label for="${id}-name">Name of ${type.name}</label>
          <input id="${id}-name" part="input" maxlength="100" .value=${draft.name} aria-invalid=${this._invalid(this._path(type.id, 'name'))}
            aria-describedby=${ifDefined(this._describedBy([], [this._path(type.id, 'name'), `${id}-name-error`]))} @input=${(e: Event) => this._setDraft(type.id, 'name', e)} />
          ${this._error(this._path(type.id, 'name'), `${id}-name-error`)}
        </div>
        <div class="field narrow">
          <label for="${id}-minutes">Minutes of ${type.name}</label>
          <input id="${id}-minutes" type="number" min="5" max="480" step="5" part="input" .value=${draft.minutes} aria-invalid=${this._invalid(this._path(type.id, 'minutes'))}
            aria-describedby=${ifDefined(this._describedBy([], [this._path(type.id, 'minutes'), `${id}-minutes-error`]))} @input=${(e: Event) => this._setDraft(type.id, 'minutes', e)} />
          ${this._error(this._path(type.id, 'minutes'), `${id}-minutes-error`)}
        </div>
        <div class="cell actions">
          <button type="submit" class="primary" part="button">Save ${type.name}</button>
          <button type="button" part="button" @click=${() => this._cancelEdit(type.id)}>Cancel</button>
        </div>
      </form>
    </li>`;
  }

  /** `path` when the last write came from `target`'s form; a path no issue has otherwise. */
  private _path(target: 'add' | number, path: string): string {
    return this._target === target ? path : `(${String(target)}) ${path}`;
  }

  private _edit(type: AppointmentType): void {
    this._drafts = new Map(this._drafts).set(type.id, { name: type.name, minutes: String(type.minutes) });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#type-${type.id}-name`)?.focus());
  }

  private _cancelEdit(id: number): void {
    const drafts = new Map(this._drafts);
    drafts.delete(id);
    this._drafts = drafts;
  }

  private _setDraft(id: number, key: keyof TypeDraft, e: Event): void {
    const draft = this._drafts.get(id);
    if (draft) this._drafts = new Map(this._drafts).set(id, { ...draft, [key]: (e.target as HTMLInputElement).value });
  }

  private async _patch(type: AppointmentType, patch: Partial<Omit<AppointmentType, 'id'>>, done: string): Promise<void> {
    this._target = type.id;
    await this._write('the appointment type', done, (api) => api.updateAppointmentType(type.id, patch));
  }

  private async _onSaveEdit(e: SubmitEvent, type: AppointmentType): Promise<void> {
    e.preventDefault();
    const draft = this._drafts.get(type.id);
    if (!draft) return;
    await this._patch(type, { name: draft.name.trim(), minutes: Number(draft.minutes) }, `${draft.name.trim()} saved.`);
  }

  private async _onAdd(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const doctor = this.doctor;
    if (!doctor) return;
    const type = { name: this._name.trim(), minutes: Number(this._minutes), ...(this._isDefault ? { is_default: true } : {}) };
    this._target = 'add';
    const added = await this._write('the appointment type', `${type.name} (${type.minutes} min) added for ${doctor.name}.`, (api) => api.addAppointmentType(doctor.id, type));
    if (added) [this._name, this._minutes, this._isDefault] = ['', '', false];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'schedule-types': ScheduleTypes;
  }
}
