import { findAppointment } from '../core/booking';
import { database } from '../core/db';
import { healthRoute } from '../core/health';
import { defineHttpFunction } from '../core/function';
import { route, sendJson, type RouteContext } from '../core/http';
import { staffActor } from '../core/staff';
import { findForStaff, listForStaff } from '../core/staff-appointments';
import { ListQuerySchema, type ListQuery } from '../core/schemas/listing';

async function staffList({ req, res, query }: RouteContext): Promise<void> {
  const actor = await staffActor(req, res, 'appointments:list');
  sendJson(res, 200, await listForStaff(database(), actor, query as ListQuery));
}

/** One appointment by id for staff, with contact details for the roles that may see them. */
async function staffRead({ req, res, params }: RouteContext): Promise<void> {
  const actor = await staffActor(req, res, 'appointments:read');
  sendJson(res, 200, await findForStaff(database(), actor, params.id));
}

export default defineHttpFunction('list-appointments', [
  route('GET', '/api/appointments', staffList, { query: ListQuerySchema }),
  // The seed's route, kept so existing clients keep working (now behind the staff token).
  route('GET', '/appointments', staffList, { query: ListQuerySchema }),
  route('GET', '/api/staff/appointments/:id', staffRead),
  route('GET', '/api/appointments/:reference', async ({ res, params }) => {
    sendJson(res, 200, await findAppointment(database(), params.reference));
  }),
  healthRoute,
]);
