import { html, nothing } from 'lit';
import type { AvailableSlot } from './api';
import type { BookingController } from './lib/booking-controller';
import type { DiscoveryController } from './lib/discovery-controller';
import { dateIn, formatShortDay, slotTimes, zoneCity } from './lib/time';
import './month-calendar';

/**
 * The parts of <booking-widget> that help a patient find a time before choosing one: the
 * specialty filter, the appointment type, "first available" and the month calendar. They are
 * templates the widget places in its form (one element per file holds for elements; these
 * render the widget's own controllers, lib/booking-controller.ts and lib/discovery-controller.ts).
 */

export interface DiscoveryHandlers {
  specialtyChanged(e: Event): void;
  typeChanged(e: Event): void;
  findFirst(): void;
  chooseOffer(offer: AvailableSlot): void;
  dateSelected(e: CustomEvent<{ date: string }>): void;
  monthChanged(e: CustomEvent<{ month: string }>): void;
  retryDays(): void;
}

export function renderSpecialtyField(discovery: DiscoveryController, on: DiscoveryHandlers) {
  return html`<div class="field">
    <label for="specialty">Specialty</label>
    <select id="specialty" part="input" @change=${on.specialtyChanged}>
      <option value="" ?selected=${discovery.specialty === ''}>All specialties</option>
      ${discovery.specialties.map((s) => html`<option value=${s} ?selected=${s === discovery.specialty}>${s}</option>`)}
    </select>
  </div>`;
}

/** The chosen doctor's appointment types, when there is a choice (one type needs no question). */
export function renderTypeField(booking: BookingController, on: DiscoveryHandlers) {
  const types = booking.appointmentTypes;
  if (types.length < 2) return nothing;
  const chosen = booking.appointmentType?.id;
  return html`<div class="field">
    <label for="appointment-type">Appointment type</label>
    <select id="appointment-type" part="input" @change=${on.typeChanged}>
      ${types.map((t) => html`<option value=${t.id} ?selected=${t.id === chosen}>${t.name} (${t.minutes} min)</option>`)}
    </select>
  </div>`;
}

/** The "first available" button and, once looked up, the earliest free times to choose from. */
export function renderFirstAvailable(booking: BookingController, discovery: DiscoveryController, on: DiscoveryHandlers, locale?: string) {
  const offers = discovery.offers;
  const where = discovery.specialty ? ` in ${discovery.specialty}` : '';
  return html`<div class="first-available">
    <!-- The label stays while it looks (the status region says so), so nothing beside it moves. -->
    <div class="actions">
      <button type="button" id="first-available" part="button" aria-describedby="first-available-about" aria-disabled=${discovery.finding ? 'true' : 'false'} @click=${on.findFirst}>
        First available
      </button>
      <span id="first-available-about" class="hint">The earliest free times${where}, with any doctor.</span>
    </div>
    ${offers && offers.length > 0
      ? html`<ul class="offers" role="list" aria-label="Earliest free times${where}">
          ${offers.map((offer) => html`<li>${renderOffer(offer, booking.patientZone, on, locale)}</li>`)}
        </ul>`
      : nothing}
  </div>`;
}

function renderOffer(offer: AvailableSlot, patientZone: string, on: DiscoveryHandlers, locale?: string) {
  const times = slotTimes(offer.start, offer.timezone, patientZone, locale);
  return html`<button type="button" class="offer" part="button offer" @click=${() => on.chooseOffer(offer)}>
    <span class="when">${formatShortDay(offer.start, offer.timezone, locale)}, ${times.doctor}
      <span class="sub">${zoneCity(offer.timezone)} time${times.local ? html`; ${times.local} your time` : nothing}</span></span>
    <span class="who">${offer.doctor_name}, ${offer.specialty}<span class="sub">${offer.appointment_type_name}, ${offer.minutes} min</span></span>
  </button>`;
}

/** The chosen doctor's month, with the days that have free times marked. */
export function renderCalendar(booking: BookingController, discovery: DiscoveryController, on: DiscoveryHandlers, locale?: string) {
  const doctor = booking.doctor;
  if (!doctor) return nothing;
  return html`<div class="calendar">
    <month-calendar
      .month=${discovery.month}
      .value=${booking.date}
      .days=${discovery.days}
      .min=${dateIn(doctor.timezone)}
      .locale=${locale}
      @date-select=${on.dateSelected}
      @month-change=${on.monthChanged}
    ></month-calendar>
    ${discovery.daysFailed
      ? html`<p class="hint">
          The free days could not be loaded; the date field above still works.
          <button type="button" part="button" @click=${on.retryDays}>Try again</button>
        </p>`
      : nothing}
  </div>`;
}
