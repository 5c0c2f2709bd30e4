import * as v from 'valibot';
import { CalendarDateSchema, IdTextSchema, strictObjectMessage } from './common';

/** Text a clinic names things with (a specialty, an appointment type), trimmed; matched case-insensitively. */
const NameTextSchema = v.pipe(
  v.string('must be text'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(100, 'must be at most 100 characters'),
);

/** `limit` of first-available, given as text: 1 to 100. */
const DiscoveryLimitSchema = v.pipe(
  v.string('must be a whole number from 1 to 100'),
  v.regex(/^[0-9]{1,3}$/, 'must be a whole number from 1 to 100'),
  v.transform(Number),
  v.minValue(1, 'must be a whole number from 1 to 100'),
  v.maxValue(100, 'must be a whole number from 1 to 100'),
);

/** Query of GET /api/availability. The span of from..to is judged by the domain, which knows today. */
export const FirstAvailableQuerySchema = v.strictObject(
  {
    from: v.optional(CalendarDateSchema),
    to: v.optional(CalendarDateSchema),
    specialty: v.optional(NameTextSchema),
    appointment_type: v.optional(NameTextSchema),
    doctor_id: v.optional(IdTextSchema),
    limit: v.optional(DiscoveryLimitSchema),
  },
  strictObjectMessage('is not a parameter of this request'),
);

export type FirstAvailableQuery = v.InferOutput<typeof FirstAvailableQuerySchema>;

/** A calendar month, YYYY-MM, within the API's calendar (1970..2199). */
export const CalendarMonthSchema = v.pipe(
  v.string('must be a month like 2026-03'),
  v.regex(/^(19[7-9][0-9]|2[01][0-9][0-9])-(0[1-9]|1[0-2])$/, 'must be a month like 2026-03, from 1970-01 to 2199-12'),
);

/** Query of GET /api/doctors/{id}/days. */
export const DaysQuerySchema = v.strictObject(
  { month: CalendarMonthSchema, appointment_type_id: v.optional(IdTextSchema) },
  strictObjectMessage('is not a parameter of this request'),
);

export type DaysQuery = v.InferOutput<typeof DaysQuerySchema>;
