import type { FieldIssue } from '../errors';

/**
 * The checks on ranges of hours that need the whole list: each range ends after it starts, and
 * no two of one weekday (or of one date) overlap. The database refuses the same (the CHECK of
 * migration 001 and the exclusion constraints of 021); checking here first names the field.
 */

/** Minutes since midnight of HH:MM (24:00 is 1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export interface RangeInput {
  starts_at: string;
  ends_at: string;
  weekday?: number;
}

/** Issues for `ranges`, each at `<listPath>.<index>.<field>`, as the body names them. */
export function rangeIssues(ranges: readonly RangeInput[], listPath: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const valid: Array<{ index: number; start: number; end: number; weekday: number }> = [];
  ranges.forEach((range, index) => {
    const start = minutesOf(range.starts_at);
    const end = minutesOf(range.ends_at);
    if (end <= start) issues.push({ path: `${listPath}.${index}.ends_at`, message: 'must be after starts_at' });
    else valid.push({ index, start, end, weekday: range.weekday ?? 0 });
  });
  valid.sort((a, b) => a.weekday - b.weekday || a.start - b.start || a.index - b.index);
  for (let i = 1; i < valid.length; i++) {
    const before = valid[i - 1];
    const range = valid[i];
    if (range.weekday === before.weekday && range.start < before.end) {
      const where = range.weekday ? 'another range of that weekday' : 'another range of that date';
      issues.push({ path: `${listPath}.${range.index}.starts_at`, message: `overlaps ${where} (${listPath}.${before.index})` });
      // Keep the later end, so a third range inside the first is still caught.
      if (range.end < before.end) valid[i] = { ...range, end: before.end };
    }
  }
  return issues.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}
