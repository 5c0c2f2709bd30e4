import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api';
import type { AdminApi, AdminDoctor, AffectedAppointment, Affecting } from '../lib/admin-api';
import { formatShortDay, formatTime } from '../lib/time';
import { renderStatus, unavailableText, type Notice } from '../status';
import { sharedStyles } from '../styles';

/** Fired by a section after a write changed a doctor, so the list and the other sections show it. */
export type DoctorChangedEvent = CustomEvent<{ doctor: AdminDoctor }>;

export const sectionStyles = [
  sharedStyles,
  css`
    section {
      margin: 0 0 1.5rem;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0 1rem;
      align-items: end;
    }
    .row > .field {
      flex: 1 1 10rem;
    }
    .row > .field.narrow {
      flex: 0 1 9rem;
    }
    .row > .cell {
      flex: 0 0 auto;
      margin-bottom: 0.75rem;
    }
    .row > .grow {
      flex: 1 1 12rem;
      align-self: center;
    }
    h4 {
      font-size: 1rem;
      margin: 0 0 0.5rem;
    }
    ul.plain {
      list-style: none;
      padding: 0;
      margin: 0 0 1rem;
    }
    ul.plain > li {
      border-top: 1px solid #d5dbe3;
      padding: 0.5rem 0;
    }
    .check {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      margin-bottom: 0.75rem;
    }
    .check input {
      width: auto;
      min-height: 0;
    }
    .affected ul {
      margin: 0.25rem 0 0;
    }
  `,
];

/**
 * What every schedule form shares: the admin API, one live region with the outcome of the
 * last write, the API's field issues beside their fields, and the list of booked appointments
 * a write left outside the schedule, so the admin can move or cancel them.
 */
export class ScheduleSection extends LitElement {
  static styles = sectionStyles;

  /** The admin API, signed in as the admin. */
  @property({ attribute: false }) api?: AdminApi;

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() protected _notice?: Notice;
  /** The API's issues of the last write, by field path (`hours.2.ends_at`). */
  @state() protected _issues = new Map<string, string>();
  @state() protected _affected: AffectedAppointment[] = [];
  @state() protected _busy = false;

  /**
   * Runs one write: clears the last outcome, shows `done` (and any affected appointments) on
   * success, the API's words and field issues on failure. Answers the result, or undefined.
   */
  protected async _write<T extends Affecting>(what: string, done: string, run: (api: AdminApi) => Promise<T>): Promise<T | undefined> {
    if (this._busy || !this.api) return undefined;
    this._busy = true;
    this._issues = new Map();
    this._affected = [];
    this._notice = { tone: 'info', text: `Saving ${what}…` };
    try {
      const result = await run(this.api);
      this._affected = result.affected;
      this._notice = { tone: result.affected.length ? 'warning' : 'success', text: done + (result.affected.length ? ` ${affectedSentence(result.affected.length)}` : '') };
      if ('doctor' in result) this.dispatchEvent(new CustomEvent('doctor-changed', { detail: { doctor: result.doctor }, bubbles: true, composed: true }));
      return result;
    } catch (err) {
      this._notice = failure(err, what);
      // The sign-in ended or was refused: the staff page must forget it (the top element does).
      if (err instanceof ApiError && err.code === 'unauthorized') this.dispatchEvent(new CustomEvent('staff-unauthorized', { bubbles: true, composed: true }));
      if (err instanceof ApiError) this._issues = new Map(err.issues.map((i) => [i.path, i.message]));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return undefined;
    } finally {
      this._busy = false;
    }
  }

  /** The live region and the affected appointments, on `zoneOf` their doctor's clock. */
  protected _renderOutcome(zoneOf: (doctorId: number) => string | undefined) {
    return html`${renderStatus('outcome', this._notice)}${this._affected.length ? renderAffected(this._affected, zoneOf, this.locale) : nothing}`;
  }

  protected _invalid(path: string): 'true' | 'false' {
    return this._issues.has(path) ? 'true' : 'false';
  }

  /**
   * aria-describedby for a field: the hints always there, and the error ids of those `paths`
   * that have an issue now (never an id that is not in the document).
   */
  protected _describedBy(hints: string[], ...errors: Array<[path: string, id: string]>): string | undefined {
    const ids = [...errors.filter(([path]) => this._issues.has(path)).map(([, id]) => id), ...hints];
    return ids.length ? ids.join(' ') : undefined;
  }

  /** The issue of `path` under its field; `id` is what the field's aria-describedby names. */
  protected _error(path: string, id: string) {
    const message = this._issues.get(path);
    return message ? html`<p class="field-error" id=${id}>${message}</p>` : nothing;
  }
}

function affectedSentence(count: number): string {
  return count === 1 ? '1 booked appointment is outside the new schedule.' : `${count} booked appointments are outside the new schedule.`;
}

/** "2 booked appointments are outside the new schedule: Mon 7 Dec, 09:00 (id 41), ..." */
export function renderAffected(affected: readonly AffectedAppointment[], zoneOf: (doctorId: number) => string | undefined, locale?: string) {
  return html`<div class="affected" part="affected">
    <p id="affected-heading"><strong>${affectedSentence(affected.length).replace(/\.$/, ':')}</strong></p>
    <ul aria-labelledby="affected-heading">
      ${affected.map((a) => {
        const zone = zoneOf(a.doctor_id);
        const when = `${formatShortDay(a.start, zone ?? 'UTC', locale)}, ${formatTime(a.start, zone ?? 'UTC', locale)}${zone ? '' : ' UTC'}`;
        return html`<li>${when} (id ${a.id})</li>`;
      })}
    </ul>
    <p class="hint">Move or cancel these from the appointments list, with notice to the patients.</p>
  </div>`;
}

/** The words for a failed write: the API's own sentence, with the fields it named. */
function failure(err: unknown, what: string): Notice {
  if (!(err instanceof ApiError) || err.unavailable) return { tone: 'error', text: unavailableText(`save ${what}`) };
  const fields = err.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { tone: 'error', text: fields ? `${err.message} ${fields}` : err.message };
}

/**
 * What a form was filled from: the doctor and the stored part it edits. A form resets to the
 * server's answer when this changes, and keeps its unsaved edits when another form saved.
 */
export function storedKey(doctor: AdminDoctor | undefined, part: unknown): string {
  return `${doctor?.id ?? ''}:${JSON.stringify(part)}`;
}

/** "HH:MM" for a time input, from the API's "HH:MM" or "HH:MM:SS". */
export function timeOfDay(text: string): string {
  return text.slice(0, 5);
}

let zones: string[] | undefined;

/** The IANA zones this browser knows, for a doctor's time zone select (UTC included). */
export function timeZones(): string[] {
  zones ??= [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])].sort();
  return zones;
}
