/**
 * A datetime-local value ("2026-12-07T14:00") means a time on the DOCTOR's wall clock, not the
 * admin's browser's: this turns it into the instant the API takes.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function wallParts(instant: number, timeZone: string): number[] {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    partsFormatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return [p.year, p.month, p.day, p.hour, p.minute];
}

/** The wall clock of `timeZone` at `instant`, as UTC milliseconds of the same digits. */
function wallMs(instant: number, timeZone: string): number {
  const [y, mo, d, h, mi] = wallParts(instant, timeZone);
  return Date.UTC(y, mo - 1, d, h, mi);
}

/**
 * The instant (UTC ISO) when `timeZone`'s clock shows `local` ("YYYY-MM-DDTHH:MM"), or
 * undefined if that is no valid time. A time the clocks skip (a spring-forward gap) is read
 * with the offset before the change, so it lands just after the gap; a repeated time is its
 * first occurrence.
 */
export function instantOnWallClock(local: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return undefined;
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Date.UTC rolls 30 February over into March; such a day is no time at all.
  if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 16) !== local.slice(0, 16)) return undefined;
  const hour = 3_600_000;
  // Each offset in force within a day of it; the earliest instant that reads `wall` wins.
  const offsets = new Set([-12, 0, 12].map((shift) => wallMs(wall + shift * hour, timeZone) - (wall + shift * hour)));
  const exact = [...offsets].map((o) => wall - o).filter((i) => wallMs(i, timeZone) === wall).sort((a, b) => a - b);
  const instant = exact[0] ?? wall - (wallMs(wall - 12 * hour, timeZone) - (wall - 12 * hour));
  return new Date(instant).toISOString();
}

