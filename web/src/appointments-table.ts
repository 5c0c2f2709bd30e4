import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, pageApi, type AppointmentFilter, type AppointmentPage, type AppointmentStatus, type BookingApi, type Doctor } from './api';
import './audit-trail';
import { offerFor, StaffApi, type StaffOffer } from './lib/staff-api';
import { dateIn, dayRange, formatShortDay, formatTime, isDate } from './lib/time';
import { StaffSession, type StaffMe } from './staff-session';
import './staff-booking';
import { staffStyles } from './staff-styles';
import { staffTabs, type StaffTab } from './staff-tabs';
import { renderStatus, unavailableText, type Notice } from './status';
import { sharedStyles } from './styles';
import './visit-panel';
import { statusLabels } from './visit-panel';

/** How to reach the patient, as the listing gives it to the roles that may see it. */
function contactOf(a: { patient_email?: string | null; patient_phone?: string | null }): string {
  return [a.patient_phone, a.patient_email].filter((x) => x).join(', ') || 'None given';
}

interface ListArgs {
  token: string;
  filter: AppointmentFilter;
  /** 0 for the first page. */
  page: number;
}

/**
 * The staff page: every appointment matching a doctor, a day and a status, a page at a time,
 * each one opened in a <visit-panel> for its status and notes. Staff sign in with the clinic's
 * OpenID provider (staff-session.ts); once signed in it opens on today, for the clinician's own
 * doctor or for every doctor, with a tab per job their role has: "Book for a patient"
 * (<staff-booking>), "Audit trail" (<audit-trail>) and "Schedule" (<schedule-admin>).
 *
 * The access token lives only in this element's memory: never in storage, a cookie or the
 * URL, so closing or reloading the page forgets it.
 *
 * @csspart panel - the panel
 * @csspart heading - its heading
 * @csspart status - the live message; also `error` while it reports a failure
 * @csspart input - inputs and selects
 * @csspart button - buttons
 * @csspart table - the table of appointments
 * @cssprop --booking-accent - and the other --booking-* properties listed in styles.ts
 */
@customElement('appointments-table')
export class AppointmentsTable extends LitElement {
  static styles = [
    sharedStyles,
    staffStyles,
    css`
      .session {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin: 0 0 1rem;
      }
      .session p {
        margin: 0;
      }
    `,
  ];

  /** The client to talk to; by default the one the page configured. */
  @property({ attribute: false }) api: BookingApi = pageApi();

  /** Appointments per page, 1 to 200. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;

  /** BCP 47 locale for dates and times; the browser's when unset. */
  @property() locale?: string;

  @state() private _doctorId = '';
  @state() private _date = '';
  @state() private _status: '' | AppointmentStatus = '';
  /** The cursor that fetched each page so far: [undefined, cursor of page 2, ...]. */
  @state() private _cursors: Array<string | undefined> = [];
  @state() private _tab: StaffTab = 'appointments';
  /** Tabs opened once stay rendered (hidden), so their state survives switching. */
  @state() private _opened = new Set<StaffTab>(['appointments']);
  /** The appointment open in the visit panel, if any. */
  @state() private _visitId = 0;
  /** The "Open" button that opened it, to take focus back when it closes. */
  private _opener?: HTMLElement;

  private _doctors = new Task(this, {
    task: ([api], { signal }) => api.doctors(signal),
    args: () => [this.api] as const,
  });

  private _list = new Task(this, {
    task: async ([api, args], { signal }) => {
      try {
        return await api.list(args.token, args.filter, signal);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'unauthorized') this._session.end('Your sign-in has expired or was refused. Sign in again.');
        throw e;
      }
    },
    args: (): readonly [BookingApi, ListArgs] => [this.api, { token: '', filter: {}, page: 0 }],
    autoRun: false,
  });

  private _session = new StaffSession(this, (me) => void this._openToday(me));

  /** The staff calls, with the signed-in person's token read at each request. */
  private _staffApi?: StaffApi;
  private get staffApi(): StaffApi {
    if (this._staffApi?.endpoints !== this.api.endpoints) this._staffApi = new StaffApi(() => this._session.tokens?.accessToken, this.api.endpoints);
    return this._staffApi;
  }

  private get _offer(): StaffOffer {
    const me = this._session.me;
    return me ? offerFor(me) : { visit: false, frontDesk: false, audit: false, schedule: false };
  }

  /** The filter and page last asked for: paging keeps the filter, a new search starts over. */
  private _shown?: ListArgs;

  render() {
    const doctors = this._doctors.value ?? [];
    return html`
      <section class="panel" part="panel" aria-labelledby="staff-heading">
        <h2 id="staff-heading" part="heading">Appointments</h2>
        ${this._renderSession()}
        ${this._session.signedIn ? staffTabs(this._tabs(), this._tab, (tab) => this._onTab(tab)) : nothing}
        <div id="panel-appointments" role=${this._session.signedIn ? 'tabpanel' : nothing} aria-labelledby=${this._session.signedIn ? 'tab-appointments' : nothing} ?hidden=${this._tab !== 'appointments'}>
        <form novalidate @submit=${this._onSearch} ?hidden=${!this._session.signedIn}>
          <div class="filters">
            <div class="field">
              <label for="doctor">Doctor</label>
              <select id="doctor" part="input" @change=${this._onDoctorChange}>
                ${this._session.me?.may.every_doctor === false ? nothing : html`<option value="">All doctors</option>`}
                ${doctors.map((d) => html`<option value=${d.id} ?selected=${String(d.id) === this._doctorId}>${d.name}</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="date">Day</label>
              <input id="date" type="date" part="input" .value=${this._date} @change=${this._onDateChange} aria-describedby="date-hint" />
            </div>
            <div class="field">
              <label for="status-filter">Status</label>
              <select id="status-filter" part="input" @change=${this._onStatusChange}>
                <option value="">Any</option>
                ${Object.entries(statusLabels).map(([value, label]) => html`<option value=${value} ?selected=${this._status === value}>${label}</option>`)}
              </select>
            </div>
            <div class="field">
              <button type="submit" class="primary" part="button">Show appointments</button>
            </div>
          </div>
          <p id="date-hint" class="hint">A day is read on the chosen doctor's clock, or in UTC for all doctors.</p>
        </form>
        ${renderStatus('status', this._notice())}
        ${this._session.signedIn && this._list.value && this._shown ? this._renderPage(this._list.value, this._shown.page, doctors) : nothing}
        ${this._session.signedIn && this._visitId
          ? html`<visit-panel .api=${this.staffApi} .appointmentId=${this._visitId} .offer=${this._offer} .doctors=${doctors} .locale=${this.locale} @visit-changed=${this._onRefresh} @visit-closed=${this._onCloseVisit}></visit-panel>`
          : nothing}
        </div>
        ${this._session.signedIn ? this._renderOtherTabs() : nothing}
      </section>
    `;
  }

  private _renderSession() {
    const session = this._session;
    if (!session.auth) return html`<p class="hint">Staff sign-in is not configured for this page (OIDC_ISSUER).</p>`;
    if (session.signedIn) {
      const me = session.me!;
      return html`<div class="session">
        <p id="signed-in-as">Signed in as <strong>${me.name ?? session.tokens!.name ?? me.sub}</strong>${me.roles.length ? ` (${me.roles.join(', ')})` : ''}</p>
        <button type="button" part="button" @click=${this._onSignOut}>Sign out</button>
      </div>`;
    }
    return html`<div class="session">
      <button type="button" id="sign-in" class="primary" part="button" aria-disabled=${session.busy ? 'true' : 'false'} @click=${this._onSignIn}>Sign in</button>
    </div>`;
  }

  private _notice(): Notice | undefined {
    const session = this._session;
    if (session.problem) return { tone: 'error', text: session.problem };
    if (session.busy) return { tone: 'info', text: 'Signing in…' };
    if (!session.signedIn) return { tone: 'info', text: 'Sign in to see appointments.' };
    if (!session.me!.may.list) return { tone: 'error', text: 'Your account has no role that may see appointments here.' };
    const doctors = this._doctors.render({
      error: (): Notice => ({ tone: 'error', text: unavailableText('load the list of doctors'), action: { label: 'Try again', run: () => this._doctors.run() } }),
    });
    if (doctors) return doctors;
    return this._list.render({
      initial: (): Notice => ({ tone: 'info', text: 'Choose what to show.' }),
      pending: (): Notice => ({ tone: 'info', text: 'Loading appointments…' }),
      complete: (page): Notice => ({
        tone: 'info',
        text: page.items.length === 0 ? 'No appointments match.' : `Page ${(this._shown?.page ?? 0) + 1}: ${page.items.length} appointment${page.items.length === 1 ? '' : 's'}.`,
      }),
      error: (e): Notice => {
        if (e instanceof ApiError && e.code === 'forbidden') return { tone: 'error', text: e.message };
        if (e instanceof ApiError && !e.unavailable) return { tone: 'error', text: e.message };
        return { tone: 'error', text: unavailableText('load the appointments'), action: { label: 'Try again', run: () => void (this._shown && this._show(this._shown)) } };
      },
    });
  }

  private _renderPage(page: AppointmentPage, index: number, doctors: Doctor[]) {
    if (page.items.length === 0 && index === 0) return nothing;
    const byId = new Map(doctors.map((d) => [d.id, d]));
    // The listing carries contact details only for the roles that may see them.
    const contact = this._session.me?.may.contact === true;
    return html`
      <div class="table-wrap" tabindex="0" role="region" aria-labelledby="caption">
        <table part="table">
          <caption id="caption">Appointments, page ${index + 1}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Patient</th>
              <th scope="col">Doctor</th>
              <th scope="col">Status</th>
              ${contact ? html`<th scope="col">Contact</th>` : nothing}
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            ${page.items.map((a) => {
              const doctor = byId.get(a.doctor_id);
              const zone = doctor?.timezone ?? 'UTC';
              return html`<tr>
                <td class="when">${formatShortDay(a.appointment_time, zone, this.locale)}, ${formatTime(a.appointment_time, zone, this.locale)}${doctor ? nothing : ' UTC'}</td>
                <td>${a.patient_name}</td>
                <td>${doctor?.name ?? `Doctor ${a.doctor_id}`}</td>
                <td>${statusLabels[a.status] ?? a.status}</td>
                ${contact ? html`<td class="contact">${contactOf(a)}</td>` : nothing}
                <td class="row-actions">
                  <button type="button" part="button" aria-expanded=${this._visitId === a.id ? 'true' : 'false'} @click=${(e: Event) => this._onOpen(a.id, e)}>
                    Open<span class="visually-hidden"> the appointment of ${a.patient_name ?? 'a patient'}, ${formatTime(a.appointment_time, zone, this.locale)}</span>
                  </button>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <button type="button" part="button" aria-disabled=${index === 0 ? 'true' : 'false'} @click=${this._onPrevious}>Previous page</button>
        <button type="button" part="button" aria-disabled=${page.next_cursor ? 'false' : 'true'} @click=${this._onNext}>Next page</button>
      </div>
    `;
  }

  /** The tabs this person's roles have a use for; the server checks each request anyway. */
  private _tabs(): Array<{ id: StaffTab; label: string }> {
    const offer = this._offer;
    return [
      { id: 'appointments' as const, label: 'Appointments' },
      ...(offer.frontDesk ? [{ id: 'book' as const, label: 'Book for a patient' }] : []),
      ...(offer.audit ? [{ id: 'audit' as const, label: 'Audit trail' }] : []),
      ...(offer.schedule ? [{ id: 'schedule' as const, label: 'Schedule' }] : []),
    ];
  }

  private _renderOtherTabs() {
    const shown = new Set(this._tabs().map((t) => t.id));
    // Every tab's panel is there for its aria-controls; its content comes the first time it is shown.
    const panel = (tab: StaffTab, content: unknown) =>
      shown.has(tab) ? html`<div id="panel-${tab}" role="tabpanel" aria-labelledby="tab-${tab}" ?hidden=${this._tab !== tab}>${this._opened.has(tab) ? content : nothing}</div>` : nothing;
    return html`
      ${panel('book', html`<staff-booking .api=${this.staffApi} .bookingApi=${this.api} .locale=${this.locale} @staff-booked=${this._onRefresh}></staff-booking>`)}
      ${panel('audit', html`<audit-trail .api=${this.staffApi} .active=${this._tab === 'audit'} .locale=${this.locale}></audit-trail>`)}
      ${panel('schedule', html`<schedule-admin .session=${this._session}></schedule-admin>`)}
    `;
  }

  private _filter(): AppointmentFilter {
    const filter: AppointmentFilter = { limit: Math.min(200, Math.max(1, Math.trunc(this.pageSize) || 25)) };
    if (this._doctorId) filter.doctor_id = Number(this._doctorId);
    if (this._status) filter.status = this._status;
    if (isDate(this._date)) {
      const zone = this._doctors.value?.find((d) => String(d.id) === this._doctorId)?.timezone ?? 'UTC';
      Object.assign(filter, dayRange(this._date, zone));
    }
    return filter;
  }

  private async _show(args: ListArgs): Promise<void> {
    this._shown = args;
    await this._list.run([this.api, args]);
  }

  /** After sign-in: today, on the doctor's clock, for a clinician's own doctor or for all. */
  private async _openToday(me: StaffMe): Promise<void> {
    if (!me.may.list) return;
    const doctors = await this._doctors.taskComplete.catch(() => [] as Doctor[]);
    this._doctorId = !me.may.every_doctor && me.doctor_id !== null ? String(me.doctor_id) : '';
    const zone = doctors.find((d) => String(d.id) === this._doctorId)?.timezone ?? 'UTC';
    this._date = dateIn(zone);
    this._cursors = [undefined];
    await this._show({ token: this._session.tokens!.accessToken, filter: this._filter(), page: 0 });
  }

  private _onSignIn(): void {
    void this._session.signIn();
  }

  private _onSignOut(): void {
    this._shown = undefined;
    this._visitId = 0;
    this._tab = 'appointments';
    this._opened = new Set(['appointments']);
    void this._session.signOut();
  }

  private _onTab(tab: StaffTab): void {
    this._tab = tab;
    if (!this._opened.has(tab)) this._opened = new Set([...this._opened, tab]);
  }

  private _onOpen(id: number, e: Event): void {
    this._opener = e.currentTarget as HTMLElement;
    this._visitId = id;
  }

  private _onCloseVisit(): void {
    this._visitId = 0;
    this._opener?.focus();
  }

  /** A visit moved on or a booking was made: the page shown again, with the same filter. */
  private _onRefresh(): void {
    if (this._shown) void this._show(this._shown);
  }

  private _onDoctorChange(e: Event): void {
    this._doctorId = (e.target as HTMLSelectElement).value;
  }

  private _onDateChange(e: Event): void {
    this._date = (e.target as HTMLInputElement).value;
  }

  private _onStatusChange(e: Event): void {
    this._status = (e.target as HTMLSelectElement).value as '' | AppointmentStatus;
  }

  private _onSearch(e: SubmitEvent): void {
    e.preventDefault();
    const token = this._session.tokens?.accessToken;
    if (!token) {
      this.renderRoot.querySelector<HTMLButtonElement>('#sign-in')?.focus();
      return;
    }
    this._cursors = [undefined];
    void this._show({ token, filter: this._filter(), page: 0 });
  }

  private _onNext(): void {
    const cursor = this._list.value?.next_cursor;
    if (!cursor || !this._shown) return;
    const page = this._shown.page + 1;
    this._cursors = [...this._cursors.slice(0, page), cursor];
    void this._show({ ...this._shown, filter: { ...this._shown.filter, cursor }, page });
  }

  private _onPrevious(): void {
    if (!this._shown || this._shown.page === 0) return;
    const page = this._shown.page - 1;
    const { cursor: _, ...filter } = this._shown.filter;
    const cursor = this._cursors[page];
    void this._show({ ...this._shown, filter: cursor ? { ...filter, cursor } : filter, page });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'appointments-table': AppointmentsTable;
  }
}
