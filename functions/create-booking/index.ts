import { appointmentChanged } from '../core/availability';
import { bookAppointment } from '../core/booking';
import { config, requirePatientDataKeys } from '../core/config';
import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { parseJsonBody, route, sendJson, type RouteContext } from '../core/http';
import { bookingOutcomeOf, countBookingAttempt } from '../core/metrics';
import { kickRelay } from '../core/outbox';
import { checkChallenge, issueChallenge } from '../core/privacy/challenge';
import { guardSignIn, limitBooking } from '../core/rate-limit';
import { staffContext } from '../core/staff';
import { BookingRequestSchema, IdempotencyKeySchema } from '../core/schemas/booking';
import { parseOr400 } from '../core/schemas/common';

const name = 'create-booking';
const source = `/functions/${name}`;

async function book({ req, res }: RouteContext): Promise<void> {
  let booked;
  try {
    const header = req.headers['idempotency-key'];
    const key = header === undefined ? undefined : parseOr400(IdempotencyKeySchema, header, 'Idempotency-Key header');
    const request = parseJsonBody(req, BookingRequestSchema, 'booking');
    const keys = requirePatientDataKeys();
    // Staff booking for a patient sign in, and the booking is on their audit trail; only
    // anonymous clients are limited.
    const signedIn = req.headers.authorization !== undefined;
    const c = config();
    const staff = signedIn ? await guardSignIn(database(), req, res, () => staffContext(req, res, 'appointments:front-desk')) : undefined;
    if (!staff) {
      if (c.limits.challenge) await checkChallenge(database(), keys, header1(req.headers['booking-challenge']));
      await limitBooking(database(), req, res, keys, { email: request.patient_email, phone: request.patient_phone });
    }
    const cap = staff || !c.limits.enabled ? null : c.limits.futureBookingsPerContact;
    booked = await bookAppointment(database(), request, source, { horizonDays: c.bookingHorizonDays, keys, futureBookingsCap: cap }, key, staff);
    // This instance's cache shows the booking at once; the others hear of it by NOTIFY.
    if (!booked.replayed) appointmentChanged(request.doctor_id);
  } catch (err) {
    countBookingAttempt(bookingOutcomeOf(err));
    throw err;
  }
  countBookingAttempt(booked.replayed ? 'replayed' : 'booked');
  const headers: Record<string, string> = { Location: `/api/appointments/${booked.reference}` };
  if (booked.replayed) headers['Idempotent-Replayed'] = 'true';
  sendJson(res, 201, booked.body, headers);
  // Committed: relay its event now, in the background (a replay wrote no new event).
  if (!booked.replayed) kickRelay(database());
}

const header1 = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default defineHttpFunction(name, [
  route('POST', '/api/appointments', book),
  // The proof-of-work a booking must carry while BOOKING_CHALLENGE is on (privacy/challenge.ts).
  route('GET', '/api/booking-challenge', async ({ res }) => {
    sendJson(res, 200, await issueChallenge(requirePatientDataKeys(), config().limits.challengeWork));
  }),
  // The seed's route, kept so existing clients keep working.
  route('POST', '/book-appointment', book),
  healthRoute,
]);
