import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMonths, columnOf, daysInMonth, formatMonth, isMonth, monthGrid, moveDate, shiftMonth, weekStartOf, weekdayColumns, weekdayNames } from '../../web/src/lib/calendar';

/**
 * <month-calendar>'s date math (web/src/lib/calendar.ts) in plain Node: the grid of a month,
 * the first day of the week by locale, and where each key of the APG date picker grid moves.
 */

test('a month is six weeks of seven cells, its days in their weekday column and nothing else', () => {
  // December 2026 starts on a Tuesday and has 31 days.
  const monday = monthGrid('2026-12', 1);
  assert.equal(monday.length, 6);
  assert.ok(monday.every((week) => week.length === 7));
  assert.deepEqual(monday[0], [null, '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
  assert.deepEqual(monday[4], ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
  assert.deepEqual(monday[5], [null, null, null, null, null, null, null]);
  assert.deepEqual(monday.flat().filter(Boolean).length, 31);

  const sunday = monthGrid('2026-12', 7);
  assert.deepEqual(sunday[0], [null, null, '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']);
  // February 2026 starts on a Sunday: a Monday-first grid needs its sixth row only for padding.
  const february = monthGrid('2026-02', 1);
  assert.equal(february[0][6], '2026-02-01');
  assert.equal(february[4][6], null);
  assert.equal(february[4][5], '2026-02-28');
  // A month that needs all six rows: August 2026 starts on a Saturday and has 31 days.
  assert.deepEqual(monthGrid('2026-08', 1)[5], ['2026-08-31', null, null, null, null, null, null]);
});

test('month arithmetic: lengths, leap years, year ends, and a day clamped to a shorter month', () => {
  assert.equal(daysInMonth('2026-02'), 28);
  assert.equal(daysInMonth('2028-02'), 29);
  assert.equal(daysInMonth('2100-02'), 28);
  assert.equal(daysInMonth('2026-12'), 31);
  assert.equal(shiftMonth('2026-12', 1), '2027-01');
  assert.equal(shiftMonth('2027-01', -1), '2026-12');
  assert.equal(shiftMonth('2026-05', -17), '2024-12');
  assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
  assert.equal(addMonths('2028-03-31', -1), '2028-02-29');
  assert.equal(addMonths('2026-12-15', 12), '2027-12-15');
  assert.equal(isMonth('2026-12'), true);
  assert.equal(isMonth('2026-13'), false);
  assert.equal(isMonth('2026-1'), false);
});

test('the week starts where the locale starts it: Monday in Britain, Sunday in the US', () => {
  assert.equal(weekStartOf('en-GB'), 1);
  assert.equal(weekStartOf('de-DE'), 1);
  assert.equal(weekStartOf('en-US'), 7);
  assert.equal(weekStartOf('not a locale!'), 1, 'a tag Intl refuses falls back to Monday');
  assert.deepEqual(weekdayColumns(7), [7, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(weekdayNames(1, 'en-GB').map((n) => n.long), ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
  assert.deepEqual(weekdayNames(7, 'en-US')[0], { short: 'Sun', long: 'Sunday' });
  assert.equal(formatMonth('2026-12', 'en-GB'), 'December 2026');
  assert.equal(columnOf('2026-12-06', 1), 6);
  assert.equal(columnOf('2026-12-06', 7), 0);
});

test('keys move the focus as the APG date picker grid does, across months and never before the earliest day', () => {
  const monday = { weekStart: 1 as const };
  const cases: Array<[string, Parameters<typeof moveDate>[1], string, object?]> = [
    ['2026-12-09', 'ArrowRight', '2026-12-10'],
    ['2026-12-31', 'ArrowRight', '2027-01-01'],
    ['2026-12-01', 'ArrowLeft', '2026-11-30'],
    ['2026-12-09', 'ArrowDown', '2026-12-16'],
    ['2026-12-29', 'ArrowDown', '2027-01-05'],
    ['2026-12-03', 'ArrowUp', '2026-11-26'],
    // Wednesday 9 December: its week runs Monday 7 to Sunday 13, or Sunday 6 to Saturday 12.
    ['2026-12-09', 'Home', '2026-12-07'],
    ['2026-12-09', 'End', '2026-12-13'],
    ['2026-12-09', 'Home', '2026-12-06', { weekStart: 7 }],
    ['2026-12-09', 'End', '2026-12-12', { weekStart: 7 }],
    // A week that spans two months goes into the other one.
    ['2026-12-01', 'Home', '2026-11-30'],
    ['2026-12-09', 'PageDown', '2027-01-09'],
    ['2027-01-31', 'PageDown', '2027-02-28'],
    ['2026-12-09', 'PageUp', '2026-11-09'],
    ['2026-12-09', 'PageDown', '2027-12-09', { shift: true }],
    ['2028-02-29', 'PageUp', '2027-02-28', { shift: true }],
    // The earliest day bounds every move back.
    ['2026-12-02', 'ArrowUp', '2026-12-01', { min: '2026-12-01' }],
    ['2026-12-20', 'PageUp', '2026-12-01', { min: '2026-12-01' }],
    ['2026-12-20', 'ArrowLeft', '2026-12-19', { min: '2026-12-01' }],
  ];
  for (const [from, key, to, options] of cases) {
    assert.equal(moveDate(from, key, { ...monday, ...options }), to, `${key} from ${from} ${JSON.stringify(options ?? {})}`);
  }
});
