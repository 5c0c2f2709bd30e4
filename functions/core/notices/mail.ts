import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/** The notices a patient gets: one per booking, move and cancellation, and one reminder per appointment time. */
export type NoticeKind = 'booked' | 'rescheduled' | 'cancelled' | 'reminder';

export interface NoticeAppointment {
  id: string;
  patientName: string | null;
  doctorName: string;
  /** The doctor's IANA zone: times in the mail read as the clinic's clock shows them. */
  timezone: string;
  /** UTC ISO instants. */
  start: string;
  end: string;
  /** RFC 5545 SEQUENCE: 0 when booked, one more for each move, and one more when cancelled. */
  sequence: number;
  /** The patient's way back to the booking, `<base>/manage#<reference>`; null when it cannot be built. */
  manageUrl: string | null;
  /** For a move: where it was. */
  previousStart?: string;
}

export interface NoticeMessage {
  subject: string;
  text: string;
  /** The calendar file, with its METHOD (REQUEST, or CANCEL when cancelled). */
  ics: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** One UID per appointment, for ever: calendars update the entry they already have. */
export function appointmentUid(id: string, publicBaseUrl: string): string {
  return `appointment-${id}@${new URL(publicBaseUrl).hostname}`;
}

function localTime(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  }).format(new Date(iso));
}

const subjects: Record<NoticeKind, string> = {
  booked: 'Your appointment is booked',
  rescheduled: 'Your appointment has moved',
  cancelled: 'Your appointment is cancelled',
  reminder: 'Reminder: your appointment',
};

/**
 * The mail and calendar file of one notice. Times in the calendar file are UTC (`Z`), which
 * every client places right across daylight-saving changes without a VTIMEZONE; the text
 * shows the doctor's own clock, with its zone's abbreviation.
 */
export function composeNotice(kind: NoticeKind, a: NoticeAppointment, publicBaseUrl: string): NoticeMessage {
  const when = localTime(a.start, a.timezone);
  const lines = [`Hello${a.patientName ? ` ${a.patientName}` : ''},`, ''];
  if (kind === 'booked') lines.push(`Your appointment with ${a.doctorName} is booked for ${when}.`);
  if (kind === 'rescheduled') lines.push(`Your appointment with ${a.doctorName} has moved${a.previousStart ? ` from ${localTime(a.previousStart, a.timezone)}` : ''} to ${when}.`);
  if (kind === 'cancelled') lines.push(`Your appointment with ${a.doctorName} on ${when} is cancelled.`);
  if (kind === 'reminder') lines.push(`This is a reminder of your appointment with ${a.doctorName} on ${when}.`);
  if (a.manageUrl && kind !== 'cancelled') lines.push('', `To see, move or cancel it: ${a.manageUrl}`);
  if (a.manageUrl && kind === 'cancelled') lines.push('', `Details: ${a.manageUrl}`);
  lines.push('', 'The attached calendar file adds it to your calendar.');

  const cancelled = kind === 'cancelled';
  const calendar = ical({ prodId: { company: 'clinic-booking', product: 'notices', language: 'EN' }, method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  calendar.createEvent({
    id: appointmentUid(a.id, publicBaseUrl),
    sequence: a.sequence,
    start: new Date(a.start),
    end: new Date(a.end),
    stamp: new Date(),
    summary: `Appointment with ${a.doctorName}`,
    description: a.manageUrl ? `Manage: ${a.manageUrl}` : undefined,
    url: a.manageUrl ?? undefined,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return { subject: subjects[kind], text: lines.join('\n'), ics: { method: cancelled ? 'CANCEL' : 'REQUEST', content: calendar.toString() } };
}
