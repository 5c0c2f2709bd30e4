import { cancelAppointment } from '../core/booking';
import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { route, sendJson } from '../core/http';
import { kickRelay } from '../core/outbox';
import { clientAddress, limit } from '../core/rate-limit';

const name = 'cancel-booking';
const source = `/functions/${name}`;

export default defineHttpFunction(name, [
  route('DELETE', '/api/appointments/:reference', async ({ req, res, params }) => {
    // Lookups and cancellations share one budget: both try references.
    await limit(database(), res, 'lookup', clientAddress(req));
    sendJson(res, 200, await cancelAppointment(database(), params.reference, source));
    // Committed: relay its event now, in the background (nothing is due after a repeat).
    kickRelay(database());
  }),
  healthRoute,
]);
