import * as v from 'valibot';
import { CalendarDateSchema, IdTextSchema, InstantSchema, PageLimitSchema, strictObjectMessage } from './common';

/** Query of GET /api/appointments (staff). Unknown or repeated parameters are a 400, not ignored. */
export const ListQuerySchema = v.strictObject(
  {
    doctor_id: v.optional(IdTextSchema),
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
    status: v.optional(v.picklist(['booked', 'cancelled'], 'must be booked or cancelled')),
    limit: v.optional(PageLimitSchema),
    cursor: v.optional(v.pipe(v.string('must be a cursor from next_cursor'), v.maxLength(200, 'must be a cursor from next_cursor'))),
  },
  strictObjectMessage('is not a filter of this listing'),
);

export type ListQuery = v.InferOutput<typeof ListQuerySchema>;

export const SlotsQuerySchema = v.strictObject(
  { date: CalendarDateSchema, appointment_type_id: v.optional(IdTextSchema) },
  strictObjectMessage('is not a parameter of this request'),
);
