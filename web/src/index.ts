/**
 * The page's one script: defines <booking-widget>, <booking-lookup>, <booking-manage>, <appointments-table> and
 * <schedule-admin>.
 * Each element reads the API base URLs from the page's `#booking-config` JSON block (see api.ts).
 */
export { BookingWidget, type BookingEventDetail } from './booking-widget';
export { BookingLookup } from './booking-lookup';
export { BookingManage } from './booking-manage';
export { AppointmentsTable } from './appointments-table';
export { ScheduleAdmin } from './schedule-admin';
export { BookingApi, ApiError, endpointsFromPage, type Endpoints } from './api';
