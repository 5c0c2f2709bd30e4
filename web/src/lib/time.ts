/**
 * Dates and times for the widget, without the DOM: everything goes through
 * Intl.DateTimeFormat with an explicit timeZone, so the doctor's wall clock is shown the same
 * wherever the patient is. A "date" here is a calendar day, `YYYY-MM-DD`.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/** The browser's IANA time zone (the patient's). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function parts(instant: Date, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  const f = formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar day it is at `instant` in `timeZone`. */
export function dateIn(timeZone: string, instant: Date = new Date()): string {
  const p = parts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A real calendar day from 1970 on, as the API accepts. (A date input passes through years
 * like 0002 and 0020 while the year is typed; those are not worth asking about.)
 */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < '1970-01-01') return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** Milliseconds `timeZone` is ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  const p = parts(new Date(instant), timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant of calendar day `date` in `timeZone`. Days that start inside a daylight
 * saving gap start at the end of the gap.
 */
export function startOfDay(date: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const day = 86_400_000;
  // Midnight on the wall clock, under each offset in force around that day; the earliest one
  // that falls on `date` is its first instant (the end of the gap when midnight is skipped).
  const candidates = [offsetMs(wall - day, timeZone), offsetMs(wall, timeZone), offsetMs(wall + day, timeZone)]
    .map((offset) => wall - offset)
    .filter((instant) => dateIn(timeZone, new Date(instant)) === date)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall);
}

/** `[from, to)` of calendar day `date` in `timeZone`, as UTC ISO instants (23 to 25 hours). */
export function dayRange(date: string, timeZone: string): { from: string; to: string } {
  return { from: startOfDay(date, timeZone).toISOString(), to: startOfDay(addDays(date, 1), timeZone).toISOString() };
}

/** "09:30" (or "9:30 am" where the locale prefers it) on the wall clock of `timeZone`. */
export function formatTime(instant: string | Date, timeZone: string, locale?: string): string {
  return formatter(locale, { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}

/** "Monday 9 March 2026": the calendar day `date`, independent of any time zone. */
export function formatDate(date: string, locale?: string): string {
  return formatter(locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));
}

/** "Mon 9 Mar": a short day, for the patient's own time beside the doctor's. */
export function formatShortDay(instant: string | Date, timeZone: string, locale?: string): string {
  return formatter(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(instant));
}

/** "Fri": the clocks of two zones are at most a day apart, so the weekday says which day. */
export function formatWeekday(instant: string | Date, timeZone: string, locale?: string): string {
  return formatter(locale, { timeZone, weekday: 'short' }).format(new Date(instant));
}

/** "Melbourne" from "Australia/Melbourne": how people name a zone; the IANA name otherwise. */
export function zoneCity(timeZone: string): string {
  const city = timeZone.split('/').pop() ?? timeZone;
  return city.replace(/_/g, ' ');
}

export interface SlotTimes {
  /** The time on the doctor's clock, which is when the patient must be there. */
  doctor: string;
  /**
   * The same instant on the patient's clock, when it reads differently (another zone);
   * with the weekday when the day differs too ("22:00 Fri"). Undefined when both clocks agree.
   */
  local?: string;
}

/** One slot's start for display: the doctor's wall clock, and the patient's when it differs. */
export function slotTimes(start: string, doctorZone: string, patientZone: string, locale?: string): SlotTimes {
  const doctor = formatTime(start, doctorZone, locale);
  const local = formatTime(start, patientZone, locale);
  const doctorDay = dateIn(doctorZone, new Date(start));
  const localDay = dateIn(patientZone, new Date(start));
  if (doctor === local && doctorDay === localDay) return { doctor };
  return { doctor, local: doctorDay === localDay ? local : `${local} ${formatWeekday(start, patientZone, locale)}` };
}
