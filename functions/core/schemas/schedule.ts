import * as v from 'valibot';
import { CalendarDateSchema, InstantSchema, strictObjectMessage } from './common';

/**
 * Bodies of the admin schedule API (functions/admin-schedule). The shapes are checked here;
 * what needs the whole body or the database (ranges that overlap, an end not after its start,
 * a type longer than every range, a time zone the database does not know) is checked by
 * functions/core/schedule-admin, which reports it the same way, field by field.
 */

const text = (max: number) =>
  v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`), v.check((s) => !/\p{Cc}/u.test(s), 'must not contain control characters'));

const wholeNumber = (min: number, max: number) =>
  v.pipe(v.number(`must be a whole number from ${min} to ${max}`), v.integer(`must be a whole number from ${min} to ${max}`), v.minValue(min, `must be a whole number from ${min} to ${max}`), v.maxValue(max, `must be a whole number from ${min} to ${max}`));

/** A wall-clock time of day, HH:MM, 00:00..23:59. */
export const TimeOfDaySchema = v.pipe(v.string('must be a time like 09:30'), v.regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time like 09:30'));
/** The end of a range: as a time of day, or 24:00 for midnight at the end of the day. */
export const EndOfRangeSchema = v.pipe(v.string('must be a time like 17:00 (24:00 for midnight)'), v.regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, 'must be a time like 17:00 (24:00 for midnight)'));

/** An IANA zone name in form; whether it exists is the database's to say (pg_timezone_names). */
const TimeZoneSchema = v.pipe(v.string('must be an IANA time zone like Europe/Berlin'), v.regex(/^[A-Za-z0-9_+\-/]{1,64}$/, 'must be an IANA time zone like Europe/Berlin'));

const DoctorNameSchema = text(200);
const SpecialtySchema = text(200);

export const NewDoctorSchema = v.strictObject(
  {
    name: DoctorNameSchema,
    specialty: SpecialtySchema,
    timezone: TimeZoneSchema,
    slot_minutes: v.optional(wholeNumber(5, 240), 30),
  },
  strictObjectMessage('is not a field of a doctor'),
);
export type NewDoctor = v.InferOutput<typeof NewDoctorSchema>;

const atLeastOne = <T extends object>(what: string) => v.check<T, string>((body) => Object.values(body).some((x) => x !== undefined), `must change at least one field of the ${what}`);

export const DoctorChangeSchema = v.pipe(
  v.strictObject(
    {
      name: v.optional(DoctorNameSchema),
      specialty: v.optional(SpecialtySchema),
      timezone: v.optional(TimeZoneSchema),
      active: v.optional(v.boolean('must be true or false')),
    },
    strictObjectMessage('is not a field of a doctor that can be changed'),
  ),
  atLeastOne('doctor'),
);
export type DoctorChange = v.InferOutput<typeof DoctorChangeSchema>;

const TypeNameSchema = text(100);
const TypeMinutesSchema = wholeNumber(5, 480);

export const NewAppointmentTypeSchema = v.strictObject(
  { name: TypeNameSchema, minutes: TypeMinutesSchema, is_default: v.optional(v.boolean('must be true or false'), false) },
  strictObjectMessage('is not a field of an appointment type'),
);
export type NewAppointmentType = v.InferOutput<typeof NewAppointmentTypeSchema>;

export const AppointmentTypeChangeSchema = v.pipe(
  v.strictObject(
    {
      name: v.optional(TypeNameSchema),
      minutes: v.optional(TypeMinutesSchema),
      is_default: v.optional(v.boolean('must be true or false')),
      active: v.optional(v.boolean('must be true or false')),
    },
    strictObjectMessage('is not a field of an appointment type'),
  ),
  atLeastOne('appointment type'),
);
export type AppointmentTypeChange = v.InferOutput<typeof AppointmentTypeChangeSchema>;

const rangeEntries = { starts_at: TimeOfDaySchema, ends_at: EndOfRangeSchema };

export const WeeklyHoursSchema = v.strictObject(
  {
    hours: v.pipe(
      v.array(
        v.strictObject({ weekday: wholeNumber(1, 7), ...rangeEntries }, strictObjectMessage('is not a field of a range of hours')),
        'must be a list of { weekday, starts_at, ends_at }',
      ),
      v.maxLength(140, 'must be at most 140 ranges'),
    ),
  },
  strictObjectMessage('is not a field of weekly hours'),
);
export type WeeklyHours = v.InferOutput<typeof WeeklyHoursSchema>;

export const DateOverrideSchema = v.strictObject(
  {
    ranges: v.pipe(
      v.array(v.strictObject(rangeEntries, strictObjectMessage('is not a field of a range of hours')), 'must be a list of { starts_at, ends_at } (empty: closed)'),
      v.maxLength(24, 'must be at most 24 ranges'),
    ),
  },
  strictObjectMessage('is not a field of a date\'s hours'),
);
export type DateOverride = v.InferOutput<typeof DateOverrideSchema>;

export const NewTimeOffSchema = v.strictObject(
  {
    starts_at: InstantSchema,
    ends_at: InstantSchema,
    reason: v.optional(v.nullable(text(200)), null),
  },
  strictObjectMessage('is not a field of time off'),
);
export type NewTimeOff = v.InferOutput<typeof NewTimeOffSchema>;

export const NewHolidaySchema = v.strictObject({ date: CalendarDateSchema, name: text(200) }, strictObjectMessage('is not a field of a holiday'));
export type NewHoliday = v.InferOutput<typeof NewHolidaySchema>;

const minutesRule = wholeNumber(0, 525_600);
const horizonRule = wholeNumber(1, 3650);

/** The clinic's rules: every field given; horizon_days null means BOOKING_HORIZON_DAYS. */
export const ClinicRulesSchema = v.strictObject(
  {
    min_notice_minutes: minutesRule,
    horizon_days: v.nullable(horizonRule),
    cancel_cutoff_minutes: minutesRule,
    reschedule_cutoff_minutes: minutesRule,
  },
  strictObjectMessage('is not a booking rule'),
);
export type ClinicRules = v.InferOutput<typeof ClinicRulesSchema>;

/** A doctor's own rules: each field a value, or null (or absent) to take the clinic's. */
export const DoctorRulesSchema = v.strictObject(
  {
    min_notice_minutes: v.optional(v.nullable(minutesRule), null),
    horizon_days: v.optional(v.nullable(horizonRule), null),
    cancel_cutoff_minutes: v.optional(v.nullable(minutesRule), null),
    reschedule_cutoff_minutes: v.optional(v.nullable(minutesRule), null),
  },
  strictObjectMessage('is not a booking rule'),
);
export type DoctorRules = v.InferOutput<typeof DoctorRulesSchema>;
