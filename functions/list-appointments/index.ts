import { findAppointment } from '../core/booking';
import { config } from '../core/config';
import { database } from '../core/db';
import { healthRoute } from '../core/health';
import { defineHttpFunction } from '../core/function';
import { route, sendJson, type RouteContext } from '../core/http';
import { assertStaff, listAppointments } from '../core/listing';
import { ListQuerySchema, type ListQuery } from '../core/schemas/listing';

async function staffList({ req, res, query }: RouteContext): Promise<void> {
  assertStaff(req.headers.authorization, config().staffToken);
  sendJson(res, 200, await listAppointments(database(), query as ListQuery));
}

export default defineHttpFunction('list-appointments', [
  route('GET', '/api/appointments', staffList, { query: ListQuerySchema }),
  // The seed's route, kept so existing clients keep working (now behind the staff token).
  route('GET', '/appointments', staffList, { query: ListQuerySchema }),
  route('GET', '/api/appointments/:reference', async ({ res, params }) => {
    sendJson(res, 200, await findAppointment(database(), params.reference));
  }),
  healthRoute,
]);
