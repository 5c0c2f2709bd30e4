import * as v from 'valibot';

/**
 * Appointment events (API.md, Events): what the outbox holds, what the relay sends and what
 * the audit log keeps. The rows are written by appointments/create.sql and cancel.sql in the
 * same statement as the booking or cancellation, so an event exists exactly when its change
 * committed. This module stays free of the cloudevents package so every function can load it.
 */
export const appointmentEventTypes = [
  'health.booking.appointment.booked.v1',
  'health.booking.appointment.rescheduled.v1',
  'health.booking.appointment.cancelled.v1',
  // The front desk's visit statuses (db/sql/staff/set-status.sql).
  'health.booking.appointment.arrived.v1',
  'health.booking.appointment.completed.v1',
  'health.booking.appointment.no_show.v1',
  // A patient's name and contact removed, on request or by retention (db/sql/privacy); the
  // appointment keeps whatever status it had.
  'health.booking.patient-data.erased.v1',
] as const;
export type AppointmentEventType = (typeof appointmentEventTypes)[number];

const statusOfType: Record<AppointmentEventType, string | null> = {
  'health.booking.appointment.booked.v1': 'booked',
  // A moved appointment is still booked, at its new time (appointments/reschedule.sql).
  'health.booking.appointment.rescheduled.v1': 'booked',
  'health.booking.appointment.cancelled.v1': 'cancelled',
  'health.booking.appointment.arrived.v1': 'arrived',
  'health.booking.appointment.completed.v1': 'completed',
  'health.booking.appointment.no_show.v1': 'no_show',
  'health.booking.patient-data.erased.v1': null,
};

/** A UTC instant as the API writes it. */
const UtcInstantSchema = v.pipe(v.string(), v.isoTimestamp());

/**
 * The event data. Keys it does not name are dropped, never stored: a producer that one day
 * added a field (compatible under CloudEvents versioning) is still audited, and a field that
 * should never have been there (a patient's name) does not reach the audit table.
 */
export const AppointmentEventDataSchema = v.object({
  id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  doctor_id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  appointment_time: UtcInstantSchema,
  end_time: UtcInstantSchema,
  status: v.picklist(['booked', 'cancelled', 'arrived', 'completed', 'no_show']),
  // Only on rescheduled: where it was, and how many times it has moved (the calendar SEQUENCE).
  previous_appointment_time: v.optional(UtcInstantSchema),
  previous_end_time: v.optional(UtcInstantSchema),
  sequence: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
});
export type AppointmentEventData = v.InferOutput<typeof AppointmentEventDataSchema>;

/** The parts of a received CloudEvent the audit log relies on, checked against each other. */
export const AppointmentEventSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    source: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
    type: v.picklist(appointmentEventTypes),
    subject: v.pipe(v.string(), v.regex(/^appointments\/[1-9][0-9]*$/)),
    time: v.optional(UtcInstantSchema),
    data: AppointmentEventDataSchema,
  }),
  v.forward(v.check((e) => e.subject === `appointments/${e.data.id}`, 'must name the appointment of the data'), ['subject']),
  v.forward(v.check((e) => (statusOfType[e.type] ?? e.data.status) === e.data.status, 'must match the event type'), ['data', 'status']),
  v.forward(
    v.check((e) => (e.type === 'health.booking.appointment.rescheduled.v1') === (e.data.previous_appointment_time !== undefined), 'must be given exactly on a rescheduled event'),
    ['data', 'previous_appointment_time'],
  ),
);
export type AppointmentEvent = v.InferOutput<typeof AppointmentEventSchema>;
