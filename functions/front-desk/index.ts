import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { parseJsonBody, route, sendJson } from '../core/http';
import { kickRelay } from '../core/outbox';
import { staffContext } from '../core/staff';
import { addNote, changeStatus, listNotes, NoteSchema, StatusChangeSchema } from '../core/staff-desk';

const name = 'front-desk';
const source = `/functions/${name}`;

/**
 * The front desk's writes on an appointment, by id: the visit's status (check-in, seen, did not
 * come, cancelled on the patient's behalf) and internal notes. Every call is a line in the
 * staff audit trail, written in the same transaction.
 */
export default defineHttpFunction(name, [
  route('POST', '/api/staff/appointments/:id/status', async ({ req, res, params }) => {
    // Each status has its own permission, checked in the domain; signing in is checked here.
    const who = await staffContext(req, res, 'appointments:list');
    const change = parseJsonBody(req, StatusChangeSchema, 'status change');
    sendJson(res, 200, await changeStatus(database(), who, params.id, change, source));
    kickRelay(database());
  }),
  route('GET', '/api/staff/appointments/:id/notes', async ({ req, res, params }) => {
    sendJson(res, 200, await listNotes(database(), await staffContext(req, res, 'appointments:visit'), params.id));
  }),
  route('POST', '/api/staff/appointments/:id/notes', async ({ req, res, params }) => {
    const who = await staffContext(req, res, 'appointments:visit');
    sendJson(res, 201, await addNote(database(), who, params.id, parseJsonBody(req, NoteSchema, 'note')));
  }),
  healthRoute,
]);
