import { http } from '@google-cloud/functions-framework';
import { listDoctors, slotsForDay } from '../core/availability';
import { database } from '../core/db';
import { healthRoute } from '../core/health';
import { handle, queryParams, route, sendJson } from '../core/http';
import { IdTextSchema, parseOr400 } from '../core/schemas/common';
import { SlotsQuerySchema } from '../core/schemas/listing';
import type { FunctionModule } from '../core/server';

const routes = [
  route('GET', '/api/doctors', async ({ res }) => {
    sendJson(res, 200, await listDoctors(database()));
  }),
  route('GET', '/api/doctors/:id/slots', async ({ req, res, params }) => {
    const doctorId = parseOr400(IdTextSchema, params.id, 'doctor id');
    const { date } = parseOr400(SlotsQuerySchema, queryParams(req), 'query');
    sendJson(res, 200, await slotsForDay(database(), doctorId, date));
  }),
  healthRoute,
];

const availability: FunctionModule = { name: 'availability', target: 'availability', routes };
http(availability.target, handle(routes, { name: availability.name }));
export default availability;
