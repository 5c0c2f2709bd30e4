import { http } from '@google-cloud/functions-framework';
import { findAppointment } from '../core/booking';
import { config } from '../core/config';
import { database } from '../core/db';
import { healthRoute } from '../core/health';
import { handle, queryParams, route, sendJson, type RouteContext } from '../core/http';
import { assertStaff, listAppointments } from '../core/listing';
import { parseOr400 } from '../core/schemas/common';
import { ListQuerySchema } from '../core/schemas/listing';
import type { FunctionModule } from '../core/server';

async function staffList({ req, res }: RouteContext): Promise<void> {
  assertStaff(req.headers.authorization, config().staffToken);
  const query = parseOr400(ListQuerySchema, queryParams(req), 'filter');
  sendJson(res, 200, await listAppointments(database(), query));
}

const routes = [
  route('GET', '/api/appointments', staffList),
  // The seed's route, kept so existing clients keep working (now behind the staff token).
  route('GET', '/appointments', staffList),
  route('GET', '/api/appointments/:reference', async ({ res, params }) => {
    sendJson(res, 200, await findAppointment(database(), params.reference));
  }),
  healthRoute,
];

const listAppointmentsFn: FunctionModule = { name: 'list-appointments', target: 'listAppointments', routes };
http(listAppointmentsFn.target, handle(routes, { name: listAppointmentsFn.name }));
export default listAppointmentsFn;
