import { findAppointment } from '../core/booking';
import { database } from '../core/db';
import { healthRoute } from '../core/health';
import { defineHttpFunction } from '../core/function';
import { route, sendJson, type RouteContext } from '../core/http';
import { describeActor } from '../core/identity';
import { erasePatient } from '../core/privacy/retention';
import { clientAddress, guardSignIn, hitToCount } from '../core/rate-limit';
import { authenticatedActor, requestOrigin, staffActor } from '../core/staff';
import { findForStaff, listForStaff } from '../core/staff-appointments';
import { ListQuerySchema, type ListQuery } from '../core/schemas/listing';

async function staffList({ req, res, query }: RouteContext): Promise<void> {
  const actor = await guardSignIn(database(), req, res, () => staffActor(req, res, 'appointments:list'));
  sendJson(res, 200, await listForStaff(database(), actor, query as ListQuery, requestOrigin(req)));
}

/** One appointment by id for staff, with contact details for the roles that may see them. */
async function staffRead({ req, res, params }: RouteContext): Promise<void> {
  const actor = await guardSignIn(database(), req, res, () => staffActor(req, res, 'appointments:read'));
  sendJson(res, 200, await findForStaff(database(), actor, params.id, requestOrigin(req)));
}

/** An admin erases one patient's data on their request; the audit line names the admin. */
async function staffErase({ req, res, params }: RouteContext): Promise<void> {
  const actor = await guardSignIn(database(), req, res, () => staffActor(req, res, 'patients:erase'));
  sendJson(res, 200, await erasePatient(database(), params.id, '/functions/list-appointments', actor.sub));
}

/** Who the staff page is signed in as, so it can open on the right doctor and columns. */
async function staffMe({ req, res }: RouteContext): Promise<void> {
  sendJson(res, 200, describeActor(await guardSignIn(database(), req, res, () => authenticatedActor(req, res))));
}

export default defineHttpFunction('list-appointments', [
  route('GET', '/api/appointments', staffList, { query: ListQuerySchema }),
  // The seed's route, kept so existing clients keep working (now behind the staff token).
  route('GET', '/appointments', staffList, { query: ListQuerySchema }),
  route('GET', '/api/staff/me', staffMe),
  route('GET', '/api/staff/appointments/:id', staffRead),
  route('POST', '/api/staff/appointments/:id/erasure', staffErase),
  route('GET', '/api/appointments/:reference', async ({ req, res, params }) => {
    sendJson(res, 200, await findAppointment(database(), params.reference, hitToCount(res, 'lookup', clientAddress(req))));
  }),
  healthRoute,
]);
