import * as v from 'valibot';
import { IdSchema, InstantSchema, strictObjectMessage } from './common';

const controlCharacters = /\p{Cc}/u;
/** Bidi embeddings, overrides and isolates: they make a name display as something else (U+202E). */
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * What a reader cannot see: format characters (U+200B, U+FEFF, tags), private use, unassigned
 * code points, separators and marks with nothing to sit on. A name needs one visible letter,
 * digit, symbol or punctuation mark; an emoji sequence joined by U+200D still has its emoji.
 */
const visible = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** Lengths in code points, so 60 emoji (two UTF-16 units each) fit in 100. */
const codePoints = (text: string) => [...text].length;

export const PatientNameSchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.check((name) => codePoints(name) <= 100, 'must be at most 100 characters'),
  v.check((name) => !controlCharacters.test(name), 'must not contain control characters'),
  v.check((name) => !bidiControls.test(name), 'must not contain bidirectional override characters'),
  v.check((name) => visible.test(name.replace(/[\p{Co}\p{Cn}]/gu, '')), 'must contain visible characters'),
);

/**
 * An optional contact field: absent, null or blank all mean "not given" and store NULL,
 * because that is what an empty form field sends.
 */
const optionalContact = (pattern: RegExp, maxLength: number, message: string) =>
  v.pipe(
    v.nullish(v.string('must be text')),
    v.transform((value) => value?.trim() || null),
    v.check((value) => value === null || value.length <= maxLength, `must be at most ${maxLength} characters`),
    v.check((value) => value === null || pattern.test(value), message),
  );

/** The body of POST /api/appointments. Unknown fields are rejected, never stored. */
export const BookingRequestSchema = v.strictObject(
  {
    patient_name: PatientNameSchema,
    doctor_id: IdSchema,
    appointment_time: InstantSchema,
    /** One of the doctor's appointment types; absent or null: their default type. */
    appointment_type_id: v.optional(v.nullable(IdSchema), null),
    patient_email: optionalContact(v.EMAIL_REGEX, 254, 'must be an e-mail address'),
    patient_phone: optionalContact(/^\+?[0-9 ().-]{5,32}$/, 32, 'must be a phone number: digits, spaces and + ( ) . -'),
  },
  strictObjectMessage('is not part of a booking'),
);

export type BookingRequest = v.InferOutput<typeof BookingRequestSchema>;

/** Idempotency-Key: 1..128 visible ASCII characters. */
export const IdempotencyKeySchema = v.pipe(
  v.string(),
  v.regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 visible ASCII characters'),
);
