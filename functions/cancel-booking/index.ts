import { http } from '@google-cloud/functions-framework';
import { cancelAppointment } from '../core/booking';
import { database } from '../core/db';
import { healthRoute } from '../core/health';
import { handle, route, sendJson } from '../core/http';
import { kickRelay } from '../core/outbox';
import type { FunctionModule } from '../core/server';

const name = 'cancel-booking';
const source = `/functions/${name}`;

const routes = [
  route('DELETE', '/api/appointments/:reference', async ({ res, params }) => {
    sendJson(res, 200, await cancelAppointment(database(), params.reference, source));
    // Committed: relay its event now, in the background (nothing is due after a repeat).
    kickRelay(database());
  }),
  healthRoute,
];

const cancelBooking: FunctionModule = { name, target: 'cancelBooking', routes };
http(cancelBooking.target, handle(routes, { name }));
export default cancelBooking;
