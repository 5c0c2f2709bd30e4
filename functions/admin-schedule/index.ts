import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { parseJsonBody, route, sendJson, type RouteContext } from '../core/http';
import { kickRelay } from '../core/outbox';
import * as schedule from '../core/schedule-admin';
import {
  AppointmentTypeChangeSchema,
  ClinicRulesSchema,
  DateOverrideSchema,
  DoctorChangeSchema,
  DoctorRulesSchema,
  NewAppointmentTypeSchema,
  NewDoctorSchema,
  NewHolidaySchema,
  NewTimeOffSchema,
  WeeklyHoursSchema,
} from '../core/schemas/schedule';
import { staffContext } from '../core/staff';

const name = 'admin-schedule';
const source = `/functions/${name}`;

/** The signed-in admin (401 without a sign-in, 403 for any other role), checked before the body is read. */
const writer = async ({ req, res }: RouteContext): Promise<schedule.ScheduleWriter> => ({ ...(await staffContext(req, res, 'schedule:manage')), source });
const admin = async ({ req, res }: RouteContext): Promise<void> => void (await staffContext(req, res, 'schedule:manage'));

/** Answers a write, then lets the relay send its event. */
function answer(ctx: RouteContext, status: number, body: string): void {
  sendJson(ctx.res, status, body);
  kickRelay(database());
}

/**
 * The clinic's administration of its schedule (issue 11), for admins: doctors, appointment
 * types, weekly hours, date overrides, time off, holidays and booking rules. Each write is one
 * transaction with its audit row and event, and answers with the booked appointments the new
 * schedule no longer covers.
 */
export default defineHttpFunction(name, [
  route('GET', '/api/admin/doctors', async (ctx) => {
    await admin(ctx);
    sendJson(ctx.res, 200, await schedule.listAdminDoctors(database()));
  }),
  route('POST', '/api/admin/doctors', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 201, await schedule.createDoctor(database(), who, parseJsonBody(ctx.req, NewDoctorSchema, 'doctor')));
  }),
  route('GET', '/api/admin/doctors/:id', async (ctx) => {
    await admin(ctx);
    sendJson(ctx.res, 200, await schedule.readAdminDoctor(database(), ctx.params.id));
  }),
  route('PATCH', '/api/admin/doctors/:id', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.updateDoctor(database(), who, ctx.params.id, parseJsonBody(ctx.req, DoctorChangeSchema, 'doctor')));
  }),
  route('POST', '/api/admin/doctors/:id/appointment-types', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 201, await schedule.addAppointmentType(database(), who, ctx.params.id, parseJsonBody(ctx.req, NewAppointmentTypeSchema, 'appointment type')));
  }),
  route('PATCH', '/api/admin/appointment-types/:typeId', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.updateAppointmentType(database(), who, ctx.params.typeId, parseJsonBody(ctx.req, AppointmentTypeChangeSchema, 'appointment type')));
  }),
  route('PUT', '/api/admin/doctors/:id/hours', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.replaceHours(database(), who, ctx.params.id, parseJsonBody(ctx.req, WeeklyHoursSchema, 'weekly hours')));
  }),
  route('PUT', '/api/admin/doctors/:id/overrides/:date', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.setOverride(database(), who, ctx.params.id, ctx.params.date, parseJsonBody(ctx.req, DateOverrideSchema, "date's hours")));
  }),
  route('DELETE', '/api/admin/doctors/:id/overrides/:date', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.removeOverride(database(), who, ctx.params.id, ctx.params.date));
  }),
  route('POST', '/api/admin/doctors/:id/time-off', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 201, await schedule.addTimeOff(database(), who, ctx.params.id, parseJsonBody(ctx.req, NewTimeOffSchema, 'time off')));
  }),
  route('DELETE', '/api/admin/time-off/:timeOffId', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.removeTimeOff(database(), who, ctx.params.timeOffId));
  }),
  route('GET', '/api/admin/holidays', async (ctx) => {
    await admin(ctx);
    sendJson(ctx.res, 200, await schedule.listHolidays(database()));
  }),
  route('POST', '/api/admin/holidays', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 201, await schedule.addHoliday(database(), who, parseJsonBody(ctx.req, NewHolidaySchema, 'holiday')));
  }),
  route('DELETE', '/api/admin/holidays/:date', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.removeHoliday(database(), who, ctx.params.date));
  }),
  route('GET', '/api/admin/rules', async (ctx) => {
    await admin(ctx);
    sendJson(ctx.res, 200, await schedule.readClinicRules(database()));
  }),
  route('PUT', '/api/admin/rules', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.setClinicRules(database(), who, parseJsonBody(ctx.req, ClinicRulesSchema, 'booking rules')));
  }),
  route('PUT', '/api/admin/doctors/:id/rules', async (ctx) => {
    const who = await writer(ctx);
    answer(ctx, 200, await schedule.setDoctorRules(database(), who, ctx.params.id, parseJsonBody(ctx.req, DoctorRulesSchema, 'booking rules')));
  }),
  healthRoute,
]);
