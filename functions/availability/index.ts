import { listDoctors, slotsForDay } from '../core/availability';
import { config } from '../core/config';
import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { route, sendJson } from '../core/http';
import { IdTextSchema, parseOr400 } from '../core/schemas/common';
import { SlotsQuerySchema } from '../core/schemas/listing';

export default defineHttpFunction('availability', [
  route('GET', '/api/doctors', async ({ res }) => {
    sendJson(res, 200, await listDoctors(database()));
  }),
  route(
    'GET',
    '/api/doctors/:id/slots',
    async ({ res, params, query }) => {
      const doctorId = parseOr400(IdTextSchema, params.id, 'doctor id');
      sendJson(res, 200, await slotsForDay(database(), doctorId, query.date as string, config().bookingHorizonDays));
    },
    { query: SlotsQuerySchema },
  ),
  healthRoute,
]);
