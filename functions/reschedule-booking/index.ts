import { config } from '../core/config';
import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { parseJsonBody, route, sendJson } from '../core/http';
import { noticesConfig } from '../core/notices/config';
import { kickRelay } from '../core/outbox';
import { clientAddress, limit } from '../core/rate-limit';
import { RescheduleRequestSchema, rescheduleAppointment } from '../core/reschedule';

const name = 'reschedule-booking';
const source = `/functions/${name}`;

export default defineHttpFunction(name, [
  route('POST', '/api/appointments/:reference/reschedule', async ({ req, res, params }) => {
    const request = parseJsonBody(req, RescheduleRequestSchema, 'reschedule');
    // A reschedule tries a reference like a lookup does: the same budget.
    await limit(database(), res, 'lookup', clientAddress(req));
    const rules = { horizonDays: config().bookingHorizonDays, cutoffHours: noticesConfig().rescheduleCutoffHours };
    sendJson(res, 200, await rescheduleAppointment(database(), params.reference, request, source, rules));
    kickRelay(database());
  }),
  healthRoute,
]);
