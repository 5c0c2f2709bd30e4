import type { Request, Response } from '@google-cloud/functions-framework';
import { listDoctors, slotsForDay } from '../core/availability';
import { config } from '../core/config';
import { database } from '../core/db';
import { bookableDays, firstAvailable } from '../core/discovery';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { route, sendJson } from '../core/http';
import { IdTextSchema, parseOr400 } from '../core/schemas/common';
import { DaysQuerySchema, FirstAvailableQuerySchema, type DaysQuery, type FirstAvailableQuery } from '../core/schemas/discovery';
import { SlotsQuerySchema } from '../core/schemas/listing';
import type { CachedBody } from '../core/slot-cache';

/**
 * Doctors, slots, bookable days and first-available are public and the same for everyone, so a CDN or the browser may keep them
 * briefly and revalidate with the ETag (a 304 costs no body). Short, because a slot can be taken
 * any moment: a stale "available" ends in a clean 409 and the widget fetches the day again.
 */
const cacheControl = {
  doctors: 'public, max-age=60, stale-while-revalidate=300',
  slots: 'public, max-age=5, stale-while-revalidate=25',
};

function sendCacheable(req: Request, res: Response, found: CachedBody, cacheControlValue: string): void {
  const headers = { ETag: found.etag, 'Cache-Control': cacheControlValue };
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === found.etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  sendJson(res, 200, found.body, headers);
}

export default defineHttpFunction('availability', [
  route('GET', '/api/doctors', async ({ req, res }) => {
    sendCacheable(req, res, await listDoctors(database), cacheControl.doctors);
  }),
  route(
    'GET',
    '/api/doctors/:id/slots',
    async ({ req, res, params, query }) => {
      const doctorId = parseOr400(IdTextSchema, params.id, 'doctor id');
      sendCacheable(req, res, await slotsForDay(database, doctorId, query.date as string, config().bookingHorizonDays, (query.appointment_type_id as number | undefined) ?? null), cacheControl.slots);
    },
    { query: SlotsQuerySchema },
  ),
  route(
    'GET',
    '/api/doctors/:id/days',
    async ({ req, res, params, query }) => {
      const doctorId = parseOr400(IdTextSchema, params.id, 'doctor id');
      sendCacheable(req, res, await bookableDays(database, doctorId, query as DaysQuery, config().bookingHorizonDays), cacheControl.slots);
    },
    { query: DaysQuerySchema },
  ),
  route(
    'GET',
    '/api/availability',
    async ({ req, res, query }) => {
      sendCacheable(req, res, await firstAvailable(database(), query as FirstAvailableQuery, config().bookingHorizonDays), cacheControl.slots);
    },
    { query: FirstAvailableQuerySchema },
  ),
  healthRoute,
]);
