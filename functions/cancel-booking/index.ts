import type { Request, Response } from '@google-cloud/functions-framework';
import { database } from '../core/db';
import { hasBody } from '../core/body';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { parseJsonBody, route, sendJson, type RouteContext } from '../core/http';
import { kickRelay } from '../core/outbox';
import { clientAddress, guardSignIn, limit } from '../core/rate-limit';
import { CancelRequestSchema, cancelWithReason, type Requester } from '../core/cancel';
import { staffContext } from '../core/staff';

const name = 'cancel-booking';
const source = `/functions/${name}`;

/** Staff (signed in) may cancel up to the last minute; a patient, until the doctor's cancel cutoff (booking rules). */
async function requesterOf(req: Request, res: Response): Promise<Requester> {
  if (req.headers.authorization === undefined) {
    // Lookups and cancellations share one budget: both try references.
    await limit(database(), res, 'lookup', clientAddress(req));
    return 'patient';
  }
  return { staff: await guardSignIn(database(), req, res, () => staffContext(req, res, 'appointments:front-desk')) };
}

async function cancel({ req, res, params }: RouteContext, bodyRequired: boolean): Promise<void> {
  // DELETE keeps working without a body; a body, when sent, may carry the reason.
  const sent = hasBody(req) && req.headers['content-length'] !== '0';
  const request = bodyRequired || sent ? parseJsonBody(req, CancelRequestSchema, 'cancellation') : {};
  const requester = await requesterOf(req, res);
  sendJson(res, 200, await cancelWithReason(database(), params.reference, request, source, requester));
  // Committed: relay its event now, in the background (nothing is due after a repeat).
  kickRelay(database());
}

export default defineHttpFunction(name, [
  route('DELETE', '/api/appointments/:reference', (ctx) => cancel(ctx, false)),
  route('POST', '/api/appointments/:reference/cancel', (ctx) => cancel(ctx, true)),
  healthRoute,
]);
