import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatMonth, isCalendarKey, monthGrid, monthOf, moveDate, shiftMonth, weekStartOf, weekdayNames, type IsoWeekday } from './lib/calendar';
import { isDate } from './lib/time';
import { sharedStyles } from './styles';

/** The bookable days of one month: what GET /api/doctors/{id}/days answers, or any list of the same shape. */
export interface BookableDays {
  month: string;
  days: ReadonlyArray<{ date: string; free_slots: number }>;
}

export interface DateSelectDetail {
  date: string;
}

export interface MonthChangeDetail {
  month: string;
}

/**
 * A month of days to pick one from, following the WAI-ARIA APG date picker grid: one Tab stop
 * (a roving tabindex), arrows move by a day or a week, Home and End to the week's first and
 * last day, PageUp and PageDown by a month (Shift: a year), Enter or Space picks. Days with no
 * free time are aria-disabled: the focus still passes over them, so no day is out of reach of
 * the arrows, but they cannot be picked. The month's name is a live heading, so moving into
 * another month is announced. The grid always has six rows: changing month never moves the
 * page below it.
 *
 * The element shows which days are bookable but loads nothing: its host listens for
 * `month-change`, loads that month and hands it back in `days`.
 *
 * @fires date-select - the patient picked a bookable day; `detail.date` (bubbles, composed)
 * @fires month-change - the calendar now shows another month; `detail.month` (bubbles, composed)
 */
@customElement('month-calendar')
export class MonthCalendar extends LitElement {
  static styles = [
    sharedStyles,
    css`
      .header {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: 0.25rem;
      }
      .header h3 {
        margin: 0;
        text-align: center;
        font-size: 1.05rem;
      }
      .header button {
        padding: 0.3rem 0.8rem;
        min-width: 2.75rem;
      }
      .header button:disabled {
        border-color: var(--_border);
        color: var(--_muted);
        cursor: not-allowed;
      }
      table {
        border-collapse: separate;
        border-spacing: 2px;
        width: 100%;
        table-layout: fixed;
      }
      th {
        font-size: 0.85rem;
        font-weight: 600;
        color: var(--_muted);
        padding: 0.2rem 0;
      }
      td {
        height: 2.75rem;
        padding: 0;
        text-align: center;
        border-radius: var(--_radius);
        font-variant-numeric: tabular-nums;
        line-height: 1.1;
        color: var(--_muted);
      }
      td[data-date] {
        cursor: not-allowed;
      }
      td.free {
        cursor: pointer;
        color: var(--_text);
        font-weight: 700;
        border: 1px solid var(--_border);
      }
      /* A dot as well as the weight, so a bookable day never rests on colour alone. */
      td.free .mark::before {
        content: '•';
        display: block;
        color: var(--_accent);
        font-size: 0.9rem;
        line-height: 0.6;
      }
      td.free:hover {
        border-color: var(--_accent);
        box-shadow: inset 0 0 0 1px var(--_accent);
      }
      td[aria-current='date'] .number {
        text-decoration: underline;
        text-underline-offset: 3px;
      }
      td[aria-selected='true'] {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_accent-text);
      }
      td[aria-selected='true'] .mark::before {
        color: var(--_accent-text);
      }
      td:focus-visible,
      td[tabindex='0']:focus {
        outline: 3px solid var(--_focus);
        outline-offset: 1px;
      }
      .hint {
        margin: 0.25rem 0 0;
        min-height: 1.5em;
      }
    `,
  ];

  /**
   * The month on show, `YYYY-MM`. The calendar moves it itself (buttons, keys) and says so with
   * `month-change`; the host keeps it and may set it, as an input's `value`.
   */
  @property() month = monthOf(new Date().toISOString());

  /** The picked day (`YYYY-MM-DD`). */
  @property() value?: string;

  /** Which days of which month have free times; days of any other month show as not bookable. */
  @property({ attribute: false }) days?: BookableDays;

  /** The earliest day to show (today on the clinic's clock): the calendar goes no further back. */
  @property() min?: string;

  /** BCP 47 locale for names and the first day of the week; the browser's when unset. */
  @property() locale?: string;

  /** The day holding the grid's one Tab stop, once the patient has moved it. */
  @state() private _focusDate?: string;

  private _weekStart: IsoWeekday = weekStartOf();

  willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale')) this._weekStart = weekStartOf(this.locale);
    if (changed.has('value') && this.value && isDate(this.value)) this._focusDate = this.value;
  }

  render() {
    const month = this.month;
    const free = this._freeSlots();
    const tabStop = this._tabStop(free);
    const today = this.min;
    const names = weekdayNames(this._weekStart, this.locale);
    const loaded = this.days?.month === month;
    const freeDays = free.size;
    const canGoBack = !this.min || shiftMonth(month, -1) >= monthOf(this.min);
    return html`
      <div class="header">
        <button type="button" part="button" aria-label="Previous month" ?disabled=${!canGoBack} @click=${() => this._showMonth(shiftMonth(month, -1))}>
          <span aria-hidden="true">‹</span>
        </button>
        <h3 id="month-heading" aria-live="polite">${formatMonth(month, this.locale)}</h3>
        <button type="button" part="button" aria-label="Next month" @click=${() => this._showMonth(shiftMonth(month, 1))}>
          <span aria-hidden="true">›</span>
        </button>
      </div>
      <table role="grid" aria-labelledby="month-heading" aria-describedby="month-summary" aria-busy=${loaded ? 'false' : 'true'} @keydown=${this._onKeydown} @click=${this._onClick}>
        <thead>
          <tr>
            ${names.map((n) => html`<th scope="col"><span aria-hidden="true">${n.short}</span><span class="visually-hidden">${n.long}</span></th>`)}
          </tr>
        </thead>
        <tbody>
          ${monthGrid(month, this._weekStart).map(
            (week) => html`<tr>
              ${week.map((date) => {
                if (!date) return html`<td></td>`;
                const slots = free.get(date) ?? 0;
                return html`<td
                  data-date=${date}
                  class=${slots > 0 ? 'free' : ''}
                  tabindex=${date === tabStop ? 0 : -1}
                  aria-selected=${date === this.value ? 'true' : 'false'}
                  aria-disabled=${slots > 0 ? nothing : 'true'}
                  aria-current=${date === today ? 'date' : nothing}
                >
                  <span class="number">${Number(date.slice(8))}</span><span class="mark" aria-hidden="true"></span><span class="visually-hidden"
                    >, ${slots > 0 ? `${slots} free ${slots === 1 ? 'time' : 'times'}` : 'no free times'}</span
                  >
                </td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
      <p id="month-summary" class="hint">
        ${!loaded
          ? 'Looking up free days…'
          : freeDays === 0
            ? 'No free days this month.'
            : `${freeDays} ${freeDays === 1 ? 'day has' : 'days have'} free times (marked with a dot).`}
      </p>
    `;
  }

  /** Free slots by date, for the month on show only. */
  private _freeSlots(): Map<string, number> {
    const free = new Map<string, number>();
    if (this.days?.month === this.month) for (const d of this.days.days) if (d.free_slots > 0) free.set(d.date, d.free_slots);
    return free;
  }

  /**
   * The one day Tab reaches: where the patient left the focus, else the picked day, else the
   * first bookable day, else the first day that is not in the past.
   */
  private _tabStop(free: Map<string, number>): string {
    const inMonth = (date: string | undefined): date is string => date !== undefined && isDate(date) && monthOf(date) === this.month;
    if (inMonth(this._focusDate)) return this._focusDate;
    if (inMonth(this.value)) return this.value;
    const first = [...free.keys()].sort()[0];
    if (first) return first;
    return inMonth(this.min) ? this.min : `${this.month}-01`;
  }

  private _showMonth(month: string): void {
    this.month = month;
    this._focusDate = undefined;
    this.dispatchEvent(new CustomEvent<MonthChangeDetail>('month-change', { detail: { month }, bubbles: true, composed: true }));
  }

  private _onKeydown(e: KeyboardEvent): void {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('td[data-date]');
    if (!cell) return;
    const date = cell.dataset.date!;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this._pick(cell);
      return;
    }
    if (!isCalendarKey(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const next = moveDate(date, e.key, { weekStart: this._weekStart, shift: e.shiftKey, min: this.min && isDate(this.min) ? this.min : undefined });
    if (monthOf(next) !== this.month) this._showMonth(monthOf(next));
    this._focusDate = next;
    void this._focusCell(next);
  }

  private _onClick(e: MouseEvent): void {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('td[data-date]');
    if (cell) this._pick(cell);
  }

  private _pick(cell: HTMLElement): void {
    const date = cell.dataset.date!;
    this._focusDate = date;
    cell.focus();
    if (cell.getAttribute('aria-disabled') === 'true') return;
    this.dispatchEvent(new CustomEvent<DateSelectDetail>('date-select', { detail: { date }, bubbles: true, composed: true }));
  }

  private async _focusCell(date: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`td[data-date="${date}"]`)?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'month-calendar': MonthCalendar;
  }
  interface HTMLElementEventMap {
    'date-select': CustomEvent<DateSelectDetail>;
    'month-change': CustomEvent<MonthChangeDetail>;
  }
}
