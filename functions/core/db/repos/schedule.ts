import type { IDatabase, ITask } from 'pg-promise';
import { sqlFile } from '../sql';

const sql = {
  lockDoctor: sqlFile('schedule/lock-doctor.sql'),
  lockEveryDoctor: sqlFile('schedule/lock-every-doctor.sql'),
  doctors: sqlFile('schedule/doctors.sql'),
  affected: sqlFile('schedule/affected.sql'),
  markChanged: sqlFile('schedule/mark-changed.sql'),
  isTimeZone: sqlFile('schedule/is-time-zone.sql'),
  createDoctor: sqlFile('schedule/create-doctor.sql'),
  updateDoctor: sqlFile('schedule/update-doctor.sql'),
  setSlotMinutes: sqlFile('schedule/set-slot-minutes.sql'),
  longestHours: sqlFile('schedule/longest-hours.sql'),
  findType: sqlFile('schedule/find-type.sql'),
  typeNameTaken: sqlFile('schedule/type-name-taken.sql'),
  createType: sqlFile('schedule/create-type.sql'),
  updateType: sqlFile('schedule/update-type.sql'),
  clearDefault: sqlFile('schedule/make-default.sql'),
  setDefault: sqlFile('schedule/set-default.sql'),
  deleteHours: sqlFile('schedule/delete-hours.sql'),
  insertHours: sqlFile('schedule/insert-hours.sql'),
  deleteOverride: sqlFile('schedule/delete-override.sql'),
  insertOverride: sqlFile('schedule/insert-override.sql'),
  addTimeOff: sqlFile('schedule/add-time-off.sql'),
  findTimeOff: sqlFile('schedule/find-time-off.sql'),
  deleteTimeOff: sqlFile('schedule/delete-time-off.sql'),
  listHolidays: sqlFile('schedule/list-holidays.sql'),
  addHoliday: sqlFile('schedule/add-holiday.sql'),
  deleteHoliday: sqlFile('schedule/delete-holiday.sql'),
  clinicRules: sqlFile('schedule/clinic-rules.sql'),
  setClinicRules: sqlFile('schedule/set-clinic-rules.sql'),
  setDoctorRules: sqlFile('schedule/set-doctor-rules.sql'),
};

export interface WeeklyRange {
  weekday: number;
  starts_at: string;
  ends_at: string;
}

export interface TimeRange {
  starts_at: string;
  ends_at: string;
}

export interface Rules {
  min_notice_minutes: number | null;
  horizon_days: number | null;
  cancel_cutoff_minutes: number | null;
  reschedule_cutoff_minutes: number | null;
}

export interface AppointmentTypeRow {
  id: number;
  doctor_id: number;
  name: string;
  minutes: number;
  is_default: boolean;
  active: boolean;
}

/** The appointments a change left outside the schedule: the JSON array for the answer, and their ids for the audit row. */
export interface Affected {
  body: string;
  ids: string[];
}

/**
 * The clinic's schedule as the admin API reads and writes it (db/sql/schedule). The writes run
 * inside the caller's transaction, after lockDoctor (or lockEveryDoctor) and before affected,
 * so the list sees every booking that committed before the change and none can slip past it.
 */
export class ScheduleRepo {
  constructor(private readonly db: IDatabase<unknown> | ITask<unknown>) {}

  /** The doctor's booking lock and row lock, to the end of the transaction; false for an unknown doctor. */
  async lockDoctor(doctorId: number): Promise<boolean> {
    return (await this.db.oneOrNone(sql.lockDoctor, { doctorId })) !== null;
  }

  async lockEveryDoctor(): Promise<void> {
    await this.db.one(sql.lockEveryDoctor);
  }

  /** One AdminDoctor body, or null for an unknown doctor. */
  async doctorJson(doctorId: number): Promise<string | null> {
    return (await this.db.oneOrNone<{ body: string }>(sql.doctors, { doctorId }))?.body ?? null;
  }

  /** Every doctor's AdminDoctor body, ordered by name and id. */
  async everyDoctorJson(): Promise<string[]> {
    return (await this.db.any<{ body: string }>(sql.doctors, { doctorId: null })).map((r) => r.body);
  }

  /** Booked future appointments of the doctor (null: of every doctor) the schedule no longer covers. */
  affected(doctorId: number | null): Promise<Affected> {
    return this.db.one<Affected>(sql.affected, { doctorId });
  }

  async markChanged(doctorId: number | null, change: string, source: string): Promise<void> {
    await this.db.none(sql.markChanged, { doctorId, change, source });
  }

  async isTimeZone(timezone: string): Promise<boolean> {
    return (await this.db.one<{ known: boolean }>(sql.isTimeZone, { timezone })).known;
  }

  async createDoctor(doctor: { name: string; specialty: string; timezone: string; slotMinutes: number }): Promise<number> {
    return (await this.db.one<{ id: number }>(sql.createDoctor, doctor)).id;
  }

  async updateDoctor(doctorId: number, change: { name?: string; specialty?: string; timezone?: string; active?: boolean }): Promise<void> {
    await this.db.none(sql.updateDoctor, { doctorId, name: change.name ?? null, specialty: change.specialty ?? null, timezone: change.timezone ?? null, active: change.active ?? null });
  }

  async setSlotMinutes(doctorId: number, minutes: number): Promise<void> {
    await this.db.none(sql.setSlotMinutes, { doctorId, minutes });
  }

  /** The longest range of the doctor's weekly hours in minutes, or null without hours. */
  async longestHours(doctorId: number): Promise<number | null> {
    return (await this.db.one<{ minutes: number | null }>(sql.longestHours, { doctorId })).minutes;
  }

  findType(typeId: number): Promise<AppointmentTypeRow | null> {
    return this.db.oneOrNone<AppointmentTypeRow>(sql.findType, { typeId });
  }

  async typeNameTaken(doctorId: number, name: string, typeId: number | null): Promise<boolean> {
    return (await this.db.one<{ taken: boolean }>(sql.typeNameTaken, { doctorId, name, typeId })).taken;
  }

  async createType(doctorId: number, name: string, minutes: number): Promise<number> {
    return (await this.db.one<{ id: number }>(sql.createType, { doctorId, name, minutes })).id;
  }

  async updateType(typeId: number, change: { name?: string; minutes?: number; active?: boolean }): Promise<void> {
    await this.db.none(sql.updateType, { typeId, name: change.name ?? null, minutes: change.minutes ?? null, active: change.active ?? null });
  }

  /** Makes the type the doctor's only default and returns its length. */
  async makeDefault(doctorId: number, typeId: number): Promise<number> {
    await this.db.none(sql.clearDefault, { doctorId, typeId });
    return (await this.db.one<{ minutes: number }>(sql.setDefault, { typeId })).minutes;
  }

  async replaceHours(doctorId: number, hours: WeeklyRange[]): Promise<void> {
    await this.db.none(sql.deleteHours, { doctorId });
    if (hours.length > 0) await this.db.none(sql.insertHours, { doctorId, hours: JSON.stringify(hours) });
  }

  /** Removes a date's overrides; false when it had none. */
  async deleteOverride(doctorId: number, day: string): Promise<boolean> {
    return (await this.db.result(sql.deleteOverride, { doctorId, day })).rowCount > 0;
  }

  async insertOverride(doctorId: number, day: string, ranges: TimeRange[]): Promise<void> {
    await this.db.none(sql.insertOverride, { doctorId, day, ranges: JSON.stringify(ranges) });
  }

  async addTimeOff(doctorId: number, timeOff: { startsAt: string; endsAt: string; reason: string | null }): Promise<string> {
    return (await this.db.one<{ id: string }>(sql.addTimeOff, { doctorId, ...timeOff })).id;
  }

  /** The doctor whose time off it is, or null for an unknown id. */
  async timeOffDoctor(timeOffId: string): Promise<number | null> {
    return (await this.db.oneOrNone<{ doctor_id: number }>(sql.findTimeOff, { timeOffId }))?.doctor_id ?? null;
  }

  async deleteTimeOff(timeOffId: string): Promise<void> {
    await this.db.none(sql.deleteTimeOff, { timeOffId });
  }

  async holidaysJson(): Promise<string> {
    return (await this.db.one<{ body: string }>(sql.listHolidays)).body;
  }

  /** The holiday's body, or null when the date already is one. */
  async addHoliday(day: string, name: string): Promise<string | null> {
    return (await this.db.oneOrNone<{ body: string }>(sql.addHoliday, { day, name }))?.body ?? null;
  }

  /** The removed holiday's body, or null when the date is none. */
  async deleteHoliday(day: string): Promise<string | null> {
    return (await this.db.oneOrNone<{ body: string }>(sql.deleteHoliday, { day }))?.body ?? null;
  }

  async clinicRulesJson(): Promise<string> {
    return (await this.db.one<{ body: string }>(sql.clinicRules)).body;
  }

  async setClinicRules(rules: Rules): Promise<void> {
    await this.db.none(sql.setClinicRules, rules);
  }

  async setDoctorRules(doctorId: number, rules: Rules): Promise<void> {
    await this.db.none(sql.setDoctorRules, { doctorId, ...rules });
  }
}
