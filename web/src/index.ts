/**
 * The page's one script: defines <booking-widget>, <booking-lookup>, <booking-manage>, <appointments-table>
 * (with the staff page's <visit-panel>, <staff-booking> and <audit-trail>) and <schedule-admin>.
 * Each element reads the API base URLs from the page's `#booking-config` JSON block (see api.ts).
 */
export { BookingWidget, type BookingEventDetail } from './booking-widget';
export { BookingLookup } from './booking-lookup';
export { BookingManage } from './booking-manage';
export { AppointmentsTable } from './appointments-table';
export { VisitPanel, type VisitChangedDetail } from './visit-panel';
export { StaffBooking, type StaffBookedDetail } from './staff-booking';
export { AuditTrail } from './audit-trail';
export { ScheduleAdmin } from './schedule-admin';
export { BookingApi, ApiError, endpointsFromPage, type Endpoints } from './api';
