/**
 * The date math of <month-calendar>, without the DOM: which days a month's grid shows in
 * which column, where each key of the WAI-ARIA date-picker grid moves the focus, and the
 * month's name. A "date" is a calendar day `YYYY-MM-DD`, a "month" is `YYYY-MM`; both are
 * read in UTC, so no zone's daylight saving can shift a day.
 */
import { addDays } from './time';

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** The keys the grid answers, as KeyboardEvent.key names them. */
export type CalendarKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

const calendarKeys: ReadonlySet<string> = new Set<CalendarKey>(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

export function isCalendarKey(key: string): key is CalendarKey {
  return calendarKeys.has(key);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isMonth(text: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** "2026-12" of "2026-12-08". */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** `month` moved by `months` (negative for earlier). */
export function shiftMonth(month: string, months: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + months;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

export function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}

/** The same day of another month, or that month's last day when it is shorter (31 Jan + 1 month is 28 or 29 Feb). */
export function addMonths(date: string, months: number): string {
  const month = shiftMonth(monthOf(date), months);
  return `${month}-${pad(Math.min(Number(date.slice(8, 10)), daysInMonth(month)))}`;
}

export function isoWeekday(date: string): IsoWeekday {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (day === 0 ? 7 : day) as IsoWeekday;
}

/**
 * The first day of the week where `locale` is read (Monday in most of the world, Sunday in
 * the US), from Intl.Locale's week information; Monday where the runtime has none.
 */
export function weekStartOf(locale?: string): IsoWeekday {
  try {
    const tag = locale ?? new Intl.DateTimeFormat().resolvedOptions().locale;
    // getWeekInfo() is the current name, weekInfo the first one shipped; neither is in TypeScript's lib yet.
    const info = new Intl.Locale(tag) as Intl.Locale & { getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number } };
    const firstDay = info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay;
    return firstDay && firstDay >= 1 && firstDay <= 7 ? (firstDay as IsoWeekday) : 1;
  } catch {
    return 1;
  }
}

/** The ISO weekdays in column order, for a week that starts on `weekStart`. */
export function weekdayColumns(weekStart: IsoWeekday): IsoWeekday[] {
  return Array.from({ length: 7 }, (_, i) => (((weekStart - 1 + i) % 7) + 1) as IsoWeekday);
}

/** Column of `date` (0 to 6) in a week that starts on `weekStart`. */
export function columnOf(date: string, weekStart: IsoWeekday): number {
  return (isoWeekday(date) - weekStart + 7) % 7;
}

/**
 * The month as six weeks of seven cells, each a date of the month or null before its first and
 * after its last day. Always six rows, so moving between months never changes the grid's height.
 */
export function monthGrid(month: string, weekStart: IsoWeekday): Array<Array<string | null>> {
  const first = `${month}-01`;
  const lead = columnOf(first, weekStart);
  const length = daysInMonth(month);
  return Array.from({ length: 6 }, (_, week) =>
    Array.from({ length: 7 }, (_, column) => {
      const day = week * 7 + column - lead + 1;
      return day >= 1 && day <= length ? `${month}-${pad(day)}` : null;
    }),
  );
}

/**
 * Where `key` moves the focus from `date`, as the WAI-ARIA APG date picker grid does: arrows by
 * a day or a week, Home and End to the first and last day of the week, PageUp and PageDown by a
 * month (with Shift, a year), the day of the month kept or clamped. Never before `min`.
 */
export function moveDate(date: string, key: CalendarKey, options: { weekStart: IsoWeekday; shift?: boolean; min?: string }): string {
  const column = columnOf(date, options.weekStart);
  const step = options.shift ? 12 : 1;
  const moved = {
    ArrowLeft: () => addDays(date, -1),
    ArrowRight: () => addDays(date, 1),
    ArrowUp: () => addDays(date, -7),
    ArrowDown: () => addDays(date, 7),
    Home: () => addDays(date, -column),
    End: () => addDays(date, 6 - column),
    PageUp: () => addMonths(date, -step),
    PageDown: () => addMonths(date, step),
  }[key]();
  return options.min && moved < options.min ? options.min : moved;
}

/** "December 2026" in `locale`. */
export function formatMonth(month: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${month}-15T12:00:00Z`));
}

/** The column headers: a short name to show ("Mo") and the full one for assistive technology ("Monday"). */
export function weekdayNames(weekStart: IsoWeekday, locale?: string): Array<{ short: string; long: string }> {
  const short = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' });
  const long = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long' });
  // 2024-01-01 was a Monday: ISO weekday n falls on 2024-01-0n.
  return weekdayColumns(weekStart).map((weekday) => {
    const day = new Date(`2024-01-0${weekday}T12:00:00Z`);
    return { short: short.format(day), long: long.format(day) };
  });
}
