import * as v from 'valibot';
import { DomainError, type FieldIssue } from '../errors';

// valibot's default messages quote the received value, which may be a patient's name or
// contact; ours name only what was expected, so no input is ever echoed back.
v.setGlobalMessage((issue) => `Expected ${issue.expected ?? 'a valid value'}.`);

/** Field-level messages for the `issues` array of the error envelope. */
export function fieldIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));
}

/** Parses at the edge: the output, or a 400 `invalid_request` listing each field's problem. */
export function parseOr400<S extends v.GenericSchema>(schema: S, input: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (!result.success) throw new DomainError('invalid_request', `The ${what} is not valid.`, fieldIssues(result.issues));
  return result.output;
}

/**
 * A strictObject's one message covers three different mistakes (a field missing, a field it
 * does not know, not an object at all); this tells them apart, so a client is not told that a
 * field it forgot "is not part of" the request.
 */
export function strictObjectMessage(unknownField: string, notAnObject = 'must be a JSON object') {
  return (issue: v.StrictObjectIssue) => {
    if (issue.expected === 'never') return unknownField;
    if (issue.received === 'undefined' && issue.path?.length) return 'is missing';
    return notAnObject;
  };
}

const MAX_INT32 = 2_147_483_647;

/** A positive 32-bit integer id, as JSON number. */
export const IdSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be a positive integer'),
  v.maxValue(MAX_INT32, 'is too large'),
);

/** A positive integer id given as text (a path segment or query parameter); 12345678901234 is "too large", not "not an integer". */
export const IdTextSchema = v.pipe(
  v.string('must be a positive integer'),
  v.regex(/^[1-9][0-9]*$/, 'must be a positive integer'),
  v.check((text) => text.length <= 10 && Number(text) <= MAX_INT32, 'is too large'),
  v.transform(Number),
);

/**
 * The calendar the API accepts: 1970 (before it, a date is no real booking date) to 2199. A
 * wider range let a UTC year of 10000 through (9999-12-31T23:59:59-23:59), which PostgreSQL
 * stores but cannot write back as ISO text; no clinic books two centuries ahead.
 */
export const FIRST_DATE = '1970-01-01';
export const LAST_DATE = '2199-12-31';
const LAST_INSTANT_MS = Date.parse(`${LAST_DATE}T23:59:59.999Z`);

/** True for YYYY-MM-DD text naming a day that exists (Date would roll 02-30 into March). */
export function isRealCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) && text >= FIRST_DATE;
}

const outOfRange = `must be no later than ${LAST_DATE}`;

/** An instant with an explicit offset or Z, as ISO 8601 text; normalised to UTC ISO. */
export const InstantSchema = v.pipe(
  v.string('must be an ISO 8601 time with an offset or Z'),
  v.isoTimestamp('must be an ISO 8601 time with an offset or Z, like 2026-03-09T14:30:00Z'),
  v.check((text) => isRealCalendarDate(text.slice(0, 10)), 'is not a real calendar date'),
  v.transform((text) => new Date(text)),
  v.check((date) => !Number.isNaN(date.getTime()), 'is not a real calendar date'),
  v.check((date) => date.getTime() >= 0, 'is not a real calendar date'),
  v.check((date) => date.getTime() <= LAST_INSTANT_MS, outOfRange),
  v.transform((date) => date.toISOString()),
);

/** A calendar date, YYYY-MM-DD, that exists, within the API's calendar. */
export const CalendarDateSchema = v.pipe(
  v.string('must be a date like 2026-03-09'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-09'),
  v.check(isRealCalendarDate, 'is not a real calendar date'),
  v.check((text) => text <= LAST_DATE, outOfRange),
);

/** `limit` of a paged listing, given as text: a whole number from 1 to 200. */
export const PageLimitSchema = v.pipe(
  v.string('must be a whole number from 1 to 200'),
  v.regex(/^[0-9]{1,3}$/, 'must be a whole number from 1 to 200'),
  v.transform(Number),
  v.minValue(1, 'must be a whole number from 1 to 200'),
  v.maxValue(200, 'must be a whole number from 1 to 200'),
);
