import adminSchedule from './admin-schedule';
import availability from './availability';
import cancelBooking from './cancel-booking';
import createBooking from './create-booking';
import frontDesk from './front-desk';
import listAppointments from './list-appointments';
import outboxRelay from './outbox-relay';
import renderPage from './render-page';
import staffAudit from './staff-audit';
import rescheduleBooking from './reschedule-booking';
import sendReminders from './send-reminders';
import type { FunctionModule } from './core/server';

/** Every HTTP function, as `npm start` serves them from one process. */
export const allFunctions: readonly FunctionModule[] = [availability, createBooking, listAppointments, frontDesk, staffAudit, adminSchedule, cancelBooking, rescheduleBooking, sendReminders, outboxRelay, renderPage];
