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

/** A positive 32-bit integer id, as JSON number. */
export const IdSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be a positive integer'),
  v.maxValue(2_147_483_647, 'is too large'),
);

/** A positive integer id given as text (a path segment or query parameter). */
export const IdTextSchema = v.pipe(
  v.string('must be a positive integer'),
  v.regex(/^[1-9][0-9]{0,9}$/, 'must be a positive integer'),
  v.transform(Number),
  v.maxValue(2_147_483_647, 'is too large'),
);

/** True for YYYY-MM-DD text naming a day that exists (Date would roll 02-30 into March). */
function isRealCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text) && text >= '1970-01-01';
}

/** An instant with an explicit offset or Z, as ISO 8601 text; normalised to UTC ISO. */
export const InstantSchema = v.pipe(
  v.string('must be an ISO 8601 time with an offset or Z'),
  v.isoTimestamp('must be an ISO 8601 time with an offset or Z, like 2026-03-09T14:30:00Z'),
  v.check((text) => isRealCalendarDate(text.slice(0, 10)), 'is not a real calendar time'),
  v.transform((text) => new Date(text)),
  v.check((date) => !Number.isNaN(date.getTime()), 'is not a real calendar time'),
  v.transform((date) => date.toISOString()),
);

/** A calendar date, YYYY-MM-DD, that exists. */
export const CalendarDateSchema = v.pipe(
  v.string('must be a date like 2026-03-09'),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-09'),
  v.check(isRealCalendarDate, 'is not a real calendar date'),
);
