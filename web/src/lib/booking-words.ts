import { ApiError, type DaySlots, type Doctor } from '../api';
import { unavailableText, type Notice } from '../status';
import { dateIn, formatDate, slotTimes, zoneCity } from './time';

/**
 * The words the booking elements share for doctors, appointment times and failed look-ups,
 * without the DOM (lib/booking-controller.ts re-exports them, where the elements import them).
 * status.ts is imported for a type and one sentence; its lit-html import touches no DOM when loaded.
 */

/** "Dr Ada Keyboard (General practice)", or the bare id while the doctors are unknown. */
export function doctorLabel(doctor: Doctor | undefined, id: number): string {
  return doctor ? `${doctor.name} (${doctor.specialty})` : `Doctor ${id}`;
}

export interface AppointmentWhen {
  day: string;
  /** On the doctor's clock, or the patient's when the doctor is unknown. */
  time: string;
  /** The doctor's city, when the doctor is known. */
  city?: string;
  /** The patient's own time, when it reads differently. */
  local?: string;
}

/** When an appointment is, for a confirmation or a look-up. */
export function appointmentWhen(instant: string, doctor: Doctor | undefined, patientZone: string, locale?: string): AppointmentWhen {
  const zone = doctor?.timezone ?? patientZone;
  const times = slotTimes(instant, zone, patientZone, locale);
  return { day: formatDate(dateIn(zone, new Date(instant)), locale), time: times.doctor, city: doctor ? zoneCity(zone) : undefined, local: times.local };
}

/** The words for a failed look-up or cancellation: only a failure to reach the service offers `retry`. */
export function lookupFailure(err: unknown, what: string, retry: () => void): Notice {
  if (err instanceof ApiError && err.code === 'not_found') {
    return { tone: 'warning', text: 'No booking has that reference. Check it against your confirmation and try again.' };
  }
  return loadFailure(err, what, retry);
}

/** The words for a failed load: a refusal is quoted; only a failure to reach the service offers `retry`. */
export function loadFailure(err: unknown, what: string, retry: () => void): Notice {
  if (err instanceof ApiError && !err.unavailable) return { tone: 'error', text: err.message };
  return { tone: 'error', text: unavailableText(what), action: { label: 'Try again', run: retry } };
}

/** What a loaded day offers, in a sentence. */
export function dayNotice(day: DaySlots, doctor: Doctor | undefined, locale?: string): Notice {
  const date = formatDate(day.date, locale);
  const free = day.slots.filter((s) => s.available).length;
  if (day.slots.length === 0) return { tone: 'info', text: `${doctor?.name ?? 'This doctor'} does not see patients on ${date}.` };
  if (free === 0) {
    const passed = day.slots.every((s) => Date.parse(s.start) <= Date.now());
    return { tone: 'info', text: `${date} ${passed ? 'has passed' : 'has no free times left'}. Please choose another day.` };
  }
  return { tone: 'info', text: `${free} of ${day.slots.length} times free on ${date}.` };
}
