import type { Request, Response } from '@google-cloud/functions-framework';
import type { Requester } from '../core/cancel';
import { config } from '../core/config';
import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { parseJsonBody, route, sendJson } from '../core/http';
import { kickRelay } from '../core/outbox';
import { clientAddress, guardSignIn, limit } from '../core/rate-limit';
import { RescheduleRequestSchema, rescheduleAppointment } from '../core/reschedule';
import { staffContext } from '../core/staff';

const name = 'reschedule-booking';
const source = `/functions/${name}`;

/** Staff (signed in) may move an appointment up to the last minute; a patient, until the doctor's reschedule cutoff (booking rules). */
async function requesterOf(req: Request, res: Response): Promise<Requester> {
  if (req.headers.authorization === undefined) {
    // A reschedule tries a reference like a lookup does: the same budget.
    await limit(database(), res, 'lookup', clientAddress(req));
    return 'patient';
  }
  return { staff: await guardSignIn(database(), req, res, () => staffContext(req, res, 'appointments:front-desk')) };
}

export default defineHttpFunction(name, [
  route('POST', '/api/appointments/:reference/reschedule', async ({ req, res, params }) => {
    const request = parseJsonBody(req, RescheduleRequestSchema, 'reschedule');
    const requester = await requesterOf(req, res);
    const rules = { horizonDays: config().bookingHorizonDays, requester };
    sendJson(res, 200, await rescheduleAppointment(database(), params.reference, request, source, rules));
    kickRelay(database());
  }),
  healthRoute,
]);
