import type { ITask } from 'pg-promise';
import * as v from 'valibot';
import type { Db } from './db';
import { ScheduleRepo, type Affected } from './db/repos/schedule';
import { DomainError, type FieldIssue } from './errors';
import { requirePermission } from './identity';
import { rangeIssues } from './schedule-admin/ranges';
import { CalendarDateSchema, IdTextSchema, parseOr400 } from './schemas/common';
import type {
  AppointmentTypeChange,
  ClinicRules,
  DateOverride,
  DoctorChange,
  DoctorRules,
  NewAppointmentType,
  NewDoctor,
  NewHoliday,
  NewTimeOff,
  WeeklyHours,
} from './schemas/schedule';
import { recordStaffAction, type StaffContext } from './staff-audit';

/**
 * The clinic's administration of its own schedule (issue 11): doctors, appointment types,
 * weekly hours, date overrides, time off, holidays and booking rules, for admins only.
 *
 * Every write is one transaction that takes the doctor's booking lock (the one a booking takes)
 * before it changes anything, then notes the change and queues its event
 * (`health.booking.schedule.changed.v1`, no patient data), lists the booked future appointments
 * the schedule no longer covers (`affected`, so the admin can move or cancel them with notice),
 * and writes its staff audit row. Nothing is ever deleted but a range of hours, an override, a
 * time off or a holiday: a doctor or a type is deactivated, and their appointments stay.
 */

/** Who is writing, and the source events name: the function's path. */
export interface ScheduleWriter extends StaffContext {
  source: string;
}

const MAX_DEFAULT_MINUTES = 240;

const doctorNotFound = () => new DomainError('not_found', 'There is no doctor with that id.');
const invalid = (what: string, issues: FieldIssue[]) => new DomainError('invalid_request', `The ${what} is not valid.`, issues);

function doctorIdOf(text: string): number {
  return parseOr400(v.object({ id: IdTextSchema }), { id: text }, 'doctor id').id;
}

function typeIdOf(text: string): number {
  return parseOr400(v.object({ id: IdTextSchema }), { id: text }, 'appointment type id').id;
}

function dateOf(text: string): string {
  return parseOr400(v.object({ date: CalendarDateSchema }), { date: text }, 'date').date;
}

function timeOffIdOf(text: string): string {
  if (!/^[1-9][0-9]*$/.test(text)) throw invalid('time off id', [{ path: 'id', message: 'must be a positive integer' }]);
  if (text.length > 18) throw invalid('time off id', [{ path: 'id', message: 'is too large' }]);
  return text;
}

const changeBody = (doctor: string, affected: Affected | null) => `{"doctor":${doctor},"affected":${affected?.body ?? '[]'}}`;

/** Runs a write in one transaction and maps a refusal of the schedule's constraints that got past the checks. */
async function write<T>(db: Db, who: ScheduleWriter, tag: string, run: (repo: ScheduleRepo, t: ITask<unknown>) => Promise<T>): Promise<T> {
  requirePermission(who.actor, 'schedule:manage');
  try {
    return await db.tx(tag, (t) => run(new ScheduleRepo(t), t));
  } catch (err) {
    const constraint = (err as { constraint?: string })?.constraint;
    if (constraint === 'working_hours_no_overlap') throw invalid('weekly hours', [{ path: 'hours', message: 'has overlapping ranges on one weekday' }]);
    if (constraint === 'schedule_overrides_no_overlap') throw invalid("date's hours", [{ path: 'ranges', message: 'has overlapping ranges' }]);
    throw err;
  }
}

/**
 * The end of every write of one doctor (null: of every doctor): the change noted and queued,
 * the affected list made in the same transaction after the change, the audit row.
 */
async function finish(
  repo: ScheduleRepo,
  t: ITask<unknown>,
  who: ScheduleWriter,
  change: { doctorId: number | null; what: string; action: string; listAffected: boolean },
): Promise<Affected | null> {
  await repo.markChanged(change.doctorId, change.what, who.source);
  const affected = change.listAffected ? await repo.affected(change.doctorId) : null;
  await recordStaffAction(t, who, `schedule.${change.action}`, affected?.ids ?? []);
  return affected;
}

async function lockDoctor(repo: ScheduleRepo, doctorId: number): Promise<void> {
  if (!(await repo.lockDoctor(doctorId))) throw doctorNotFound();
}

async function requireKnownTimeZone(repo: ScheduleRepo, timezone: string | undefined): Promise<void> {
  if (timezone !== undefined && !(await repo.isTimeZone(timezone))) {
    throw invalid('doctor', [{ path: 'timezone', message: 'is not a time zone the clinic knows (IANA, like Europe/Berlin)' }]);
  }
}

/** A type no range of the doctor's week can hold would never have a slot (only once they have hours). */
async function requireFitsTheWeek(repo: ScheduleRepo, doctorId: number, minutes: number | undefined): Promise<void> {
  if (minutes === undefined) return;
  const longest = await repo.longestHours(doctorId);
  if (longest !== null && minutes > longest) {
    throw invalid('appointment type', [{ path: 'minutes', message: `is longer than every range of the doctor's weekly hours (the longest is ${longest} minutes)` }]);
  }
}

// Reads ------------------------------------------------------------------------------------

export async function listAdminDoctors(db: Db): Promise<string> {
  return `{"items":[${(await new ScheduleRepo(db).everyDoctorJson()).join(',')}]}`;
}

export async function readAdminDoctor(db: Db, idText: string): Promise<string> {
  const body = await new ScheduleRepo(db).doctorJson(doctorIdOf(idText));
  if (body === null) throw doctorNotFound();
  return body;
}

export async function listHolidays(db: Db): Promise<string> {
  return new ScheduleRepo(db).holidaysJson();
}

export async function readClinicRules(db: Db): Promise<string> {
  return new ScheduleRepo(db).clinicRulesJson();
}

// Doctors and their appointment types --------------------------------------------------------

/** A new doctor, with the default type "Appointment" of slot_minutes (the trigger of migration 013). */
export async function createDoctor(db: Db, who: ScheduleWriter, doctor: NewDoctor): Promise<string> {
  return write(db, who, 'schedule-doctor-create', async (repo, t) => {
    await requireKnownTimeZone(repo, doctor.timezone);
    const doctorId = await repo.createDoctor({ name: doctor.name, specialty: doctor.specialty, timezone: doctor.timezone, slotMinutes: doctor.slot_minutes });
    await finish(repo, t, who, { doctorId, what: 'doctor', action: 'doctor_created', listAffected: false });
    return changeBody((await repo.doctorJson(doctorId))!, null);
  });
}

/** Name, specialty, time zone, or active: false (no slots, not listed publicly; the appointments stay). */
export async function updateDoctor(db: Db, who: ScheduleWriter, idText: string, change: DoctorChange): Promise<string> {
  const doctorId = doctorIdOf(idText);
  return write(db, who, 'schedule-doctor-update', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    await requireKnownTimeZone(repo, change.timezone);
    await repo.updateDoctor(doctorId, change);
    const affected = await finish(repo, t, who, { doctorId, what: 'doctor', action: 'doctor_updated', listAffected: true });
    return changeBody((await repo.doctorJson(doctorId))!, affected);
  });
}

export async function addAppointmentType(db: Db, who: ScheduleWriter, idText: string, type: NewAppointmentType): Promise<string> {
  const doctorId = doctorIdOf(idText);
  return write(db, who, 'schedule-type-create', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    if (await repo.typeNameTaken(doctorId, type.name, null)) throw invalid('appointment type', [{ path: 'name', message: 'is already the name of one of this doctor\'s types' }]);
    if (type.is_default && type.minutes > MAX_DEFAULT_MINUTES) {
      throw invalid('appointment type', [{ path: 'minutes', message: `must be at most ${MAX_DEFAULT_MINUTES} for the default type (it is the doctor's slot length)` }]);
    }
    await requireFitsTheWeek(repo, doctorId, type.minutes);
    const typeId = await repo.createType(doctorId, type.name, type.minutes);
    if (type.is_default) await repo.setSlotMinutes(doctorId, await repo.makeDefault(doctorId, typeId));
    const affected = await finish(repo, t, who, { doctorId, what: 'appointment_types', action: 'type_created', listAffected: true });
    return changeBody((await repo.doctorJson(doctorId))!, affected);
  });
}

/** Making a type the default un-defaults the other; the default can be neither deactivated nor un-defaulted (422). */
export async function updateAppointmentType(db: Db, who: ScheduleWriter, typeIdText: string, change: AppointmentTypeChange): Promise<string> {
  const typeId = typeIdOf(typeIdText);
  const notFound = () => new DomainError('not_found', 'There is no appointment type with that id.');
  return write(db, who, 'schedule-type-update', async (repo, t) => {
    const before = await repo.findType(typeId);
    if (!before) throw notFound();
    await lockDoctor(repo, before.doctor_id);
    // Read again under the doctor's lock: another admin may have changed it meanwhile.
    const type = (await repo.findType(typeId)) ?? (() => { throw notFound(); })();
    const doctorId = type.doctor_id;
    const willBeDefault = change.is_default ?? type.is_default;
    const willBeActive = change.active ?? type.active;
    if (type.is_default && change.is_default === false) {
      throw new DomainError('not_bookable', 'A doctor always has a default type: make another type the default instead.');
    }
    if (willBeDefault && !willBeActive) {
      throw new DomainError('not_bookable', type.is_default ? 'The default type cannot be deactivated: make another type the default first.' : 'An inactive type cannot be the default: activate it too.');
    }
    if (change.name !== undefined && (await repo.typeNameTaken(doctorId, change.name, typeId))) {
      throw invalid('appointment type', [{ path: 'name', message: 'is already the name of one of this doctor\'s types' }]);
    }
    if (willBeDefault && (change.minutes ?? type.minutes) > MAX_DEFAULT_MINUTES) {
      throw invalid('appointment type', [{ path: 'minutes', message: `must be at most ${MAX_DEFAULT_MINUTES} for the default type (it is the doctor's slot length)` }]);
    }
    await requireFitsTheWeek(repo, doctorId, change.minutes);
    await repo.updateType(typeId, change);
    if (willBeDefault) await repo.setSlotMinutes(doctorId, await repo.makeDefault(doctorId, typeId));
    const affected = await finish(repo, t, who, { doctorId, what: 'appointment_types', action: 'type_updated', listAffected: true });
    return changeBody((await repo.doctorJson(doctorId))!, affected);
  });
}

// Hours, overrides, time off ------------------------------------------------------------------

/** Replaces the doctor's weekly hours (several ranges a day are its breaks). */
export async function replaceHours(db: Db, who: ScheduleWriter, idText: string, body: WeeklyHours): Promise<string> {
  const doctorId = doctorIdOf(idText);
  const issues = rangeIssues(body.hours, 'hours');
  if (issues.length) throw invalid('weekly hours', issues);
  return write(db, who, 'schedule-hours', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    await repo.replaceHours(doctorId, body.hours);
    const affected = await finish(repo, t, who, { doctorId, what: 'hours', action: 'hours_replaced', listAffected: true });
    return changeBody((await repo.doctorJson(doctorId))!, affected);
  });
}

/** Other hours on one date, or none (an empty list: closed that day), in place of the weekday's. */
export async function setOverride(db: Db, who: ScheduleWriter, idText: string, dateText: string, body: DateOverride): Promise<string> {
  const doctorId = doctorIdOf(idText);
  const day = dateOf(dateText);
  const issues = rangeIssues(body.ranges, 'ranges');
  if (issues.length) throw invalid("date's hours", issues);
  return write(db, who, 'schedule-override', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    await repo.deleteOverride(doctorId, day);
    await repo.insertOverride(doctorId, day, body.ranges);
    const affected = await finish(repo, t, who, { doctorId, what: 'overrides', action: 'override_set', listAffected: true });
    return changeBody((await repo.doctorJson(doctorId))!, affected);
  });
}

/** The date goes back to its weekday's hours; that can only add time, so nothing is affected. */
export async function removeOverride(db: Db, who: ScheduleWriter, idText: string, dateText: string): Promise<string> {
  const doctorId = doctorIdOf(idText);
  const day = dateOf(dateText);
  return write(db, who, 'schedule-override-remove', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    if (!(await repo.deleteOverride(doctorId, day))) throw new DomainError('not_found', 'The doctor has no other hours on that date.');
    await finish(repo, t, who, { doctorId, what: 'overrides', action: 'override_removed', listAffected: false });
    return changeBody((await repo.doctorJson(doctorId))!, null);
  });
}

export async function addTimeOff(db: Db, who: ScheduleWriter, idText: string, body: NewTimeOff): Promise<string> {
  const doctorId = doctorIdOf(idText);
  if (body.ends_at <= body.starts_at) throw invalid('time off', [{ path: 'ends_at', message: 'must be after starts_at' }]);
  if (Date.parse(body.ends_at) <= Date.now()) throw invalid('time off', [{ path: 'ends_at', message: 'must be in the future' }]);
  return write(db, who, 'schedule-time-off', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    await repo.addTimeOff(doctorId, { startsAt: body.starts_at, endsAt: body.ends_at, reason: body.reason });
    const affected = await finish(repo, t, who, { doctorId, what: 'time_off', action: 'time_off_added', listAffected: true });
    return changeBody((await repo.doctorJson(doctorId))!, affected);
  });
}

export async function removeTimeOff(db: Db, who: ScheduleWriter, idText: string): Promise<string> {
  const timeOffId = timeOffIdOf(idText);
  const notFound = () => new DomainError('not_found', 'There is no time off with that id.');
  return write(db, who, 'schedule-time-off-remove', async (repo, t) => {
    const doctorId = await repo.timeOffDoctor(timeOffId);
    if (doctorId === null) throw notFound();
    await lockDoctor(repo, doctorId);
    if ((await repo.timeOffDoctor(timeOffId)) === null) throw notFound();
    await repo.deleteTimeOff(timeOffId);
    await finish(repo, t, who, { doctorId, what: 'time_off', action: 'time_off_removed', listAffected: false });
    return changeBody((await repo.doctorJson(doctorId))!, null);
  });
}

// The clinic: holidays and rules -------------------------------------------------------------

/** A holiday closes the date for every doctor, so every doctor's booking lock is taken. */
export async function addHoliday(db: Db, who: ScheduleWriter, holiday: NewHoliday): Promise<string> {
  return write(db, who, 'schedule-holiday', async (repo, t) => {
    await repo.lockEveryDoctor();
    const body = await repo.addHoliday(holiday.date, holiday.name);
    if (body === null) throw invalid('holiday', [{ path: 'date', message: 'is already a holiday' }]);
    const affected = await finish(repo, t, who, { doctorId: null, what: 'holidays', action: 'holiday_added', listAffected: true });
    return `{"holiday":${body},"affected":${affected!.body}}`;
  });
}

export async function removeHoliday(db: Db, who: ScheduleWriter, dateText: string): Promise<string> {
  const day = dateOf(dateText);
  return write(db, who, 'schedule-holiday-remove', async (repo, t) => {
    const body = await repo.deleteHoliday(day);
    if (body === null) throw new DomainError('not_found', 'That date is no holiday.');
    await finish(repo, t, who, { doctorId: null, what: 'holidays', action: 'holiday_removed', listAffected: false });
    return `{"holiday":${body},"affected":[]}`;
  });
}

/** The clinic's rules decide when a slot may be booked, not whether the schedule covers it: nothing is affected. */
export async function setClinicRules(db: Db, who: ScheduleWriter, rules: ClinicRules): Promise<string> {
  return write(db, who, 'schedule-rules', async (repo, t) => {
    await repo.setClinicRules(rules);
    await finish(repo, t, who, { doctorId: null, what: 'rules', action: 'rules_changed', listAffected: false });
    return `{"rules":${await repo.clinicRulesJson()},"affected":[]}`;
  });
}

export async function setDoctorRules(db: Db, who: ScheduleWriter, idText: string, rules: DoctorRules): Promise<string> {
  const doctorId = doctorIdOf(idText);
  return write(db, who, 'schedule-doctor-rules', async (repo, t) => {
    await lockDoctor(repo, doctorId);
    await repo.setDoctorRules(doctorId, rules);
    await finish(repo, t, who, { doctorId, what: 'rules', action: 'doctor_rules_changed', listAffected: false });
    return changeBody((await repo.doctorJson(doctorId))!, null);
  });
}
