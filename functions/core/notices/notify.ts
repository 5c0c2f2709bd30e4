import type { IDatabase } from 'pg-promise';
import type { PatientKeyring } from '../privacy/keys';
import { open, openContact } from '../privacy/seal';
import type { AppointmentEvent } from '../schemas/events';
import { composeNotice, type NoticeAppointment, type NoticeKind } from './mail';
import type { Mailer } from './mailer';
import { noticeQueries, type NoticeRow } from './queries';

export interface NoticeContext {
  keys: PatientKeyring;
  mailer: Mailer;
  publicBaseUrl: string;
}

/** The events a patient hears of; the front desk's visit statuses and an erasure send no mail. */
const kindOfType: Partial<Record<AppointmentEvent['type'], NoticeKind>> = {
  'health.booking.appointment.booked.v1': 'booked',
  'health.booking.appointment.rescheduled.v1': 'rescheduled',
  'health.booking.appointment.cancelled.v1': 'cancelled',
};

/** The patient's e-mail address, opened from the sealed contact; null when none was given. */
export function emailOf(row: NoticeRow, keys: PatientKeyring): string | null {
  if (row.patient_contact === null || row.contact_key_id === null) return null;
  return openContact(keys, { keyId: row.contact_key_id, data: row.patient_contact }).email;
}

/**
 * The manage link. The reference reaches the page in the fragment, which browsers never send
 * in a request line or a Referer.
 */
export function manageUrlOf(row: NoticeRow, keys: PatientKeyring, publicBaseUrl: string): string | null {
  if (row.reference_sealed === null || row.reference_key_id === null) return null;
  return `${publicBaseUrl}/manage#${open(keys, 'reference', { keyId: row.reference_key_id, data: row.reference_sealed })}`;
}

export function noticeAppointment(row: NoticeRow, keys: PatientKeyring, publicBaseUrl: string, times: { start: string; end: string }, sequence: number): NoticeAppointment {
  return {
    id: row.id,
    patientName: row.patient_name,
    doctorName: row.doctor_name,
    timezone: row.timezone,
    start: times.start,
    end: times.end,
    sequence,
    manageUrl: manageUrlOf(row, keys, publicBaseUrl),
  };
}

export type NoticeOutcome = 'sent' | 'duplicate' | 'no_address' | 'gone' | 'not_a_notice';

/**
 * Sends the notice of one appointment event, once per event id.
 *
 * The decision (a notices_sent row) and the send happen in one transaction: the row is
 * inserted first, the mail sent, then the transaction commits. A second delivery of the same
 * event meets the row (or waits on the first delivery's uncommitted one) and sends nothing;
 * an SMTP failure throws, rolls the row back, and the Broker redelivers later. The one gap is
 * SMTP accepting the mail and the commit then failing: the event is redelivered and the mail
 * sent again. That is the at-least-once this design accepts; the alternative (commit first,
 * then send) would lose the mail instead.
 *
 * Times and SEQUENCE come from the event, so a late redelivery describes the change it
 * announces; a cancellation comes last of all, one SEQUENCE after the moves.
 */
export async function notifyEvent(db: IDatabase<unknown>, event: AppointmentEvent, ctx: NoticeContext): Promise<NoticeOutcome> {
  const kind = kindOfType[event.type];
  if (!kind) return 'not_a_notice';
  return db.tx('notify', async (t) => {
    const [row] = await noticeQueries.appointments(t, [String(event.data.id)]);
    const email = row ? emailOf(row, ctx.keys) : null;
    const decided = await noticeQueries.claimEvent(t, event.id, event.data.id, row && email ? kind : 'none');
    if (!decided) return 'duplicate';
    if (!row) return 'gone';
    if (email === null) return 'no_address';
    const sequence = kind === 'booked' ? 0 : kind === 'rescheduled' ? (event.data.sequence ?? row.revision) : row.revision + 1;
    const appointment = noticeAppointment(row, ctx.keys, ctx.publicBaseUrl, { start: event.data.appointment_time, end: event.data.end_time }, sequence);
    appointment.previousStart = event.data.previous_appointment_time;
    await ctx.mailer.send(email, composeNotice(kind, appointment, ctx.publicBaseUrl));
    return 'sent';
  });
}
