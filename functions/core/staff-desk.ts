import * as v from 'valibot';
import type { Db } from './db';
import { FrontDeskRepo } from './db/repos/front-desk';
import { DomainError } from './errors';
import { doctorScope, requirePermission, type Permission } from './identity';
import { strictObjectMessage } from './schemas/common';
import { recordStaffAction, type StaffContext } from './staff-audit';

/**
 * The front desk's writes: a visit's status and internal notes. Each runs in one transaction
 * with its audit row and (for a status) its outbox event, so all of them commit or none does.
 * The order of a visit is the database's to enforce (migration 005's trigger); this module
 * only maps its refusal to a 409.
 */

export const visitStatuses = ['arrived', 'completed', 'no_show', 'cancelled'] as const;
export type VisitStatus = (typeof visitStatuses)[number];

/** Who may move a visit to each status: check-in and the visit itself, or a cancellation. */
const permissionFor: Record<VisitStatus, Permission> = {
  arrived: 'appointments:visit',
  completed: 'appointments:visit',
  no_show: 'appointments:visit',
  cancelled: 'appointments:front-desk',
};

export const StatusChangeSchema = v.pipe(
  v.strictObject(
    {
      status: v.picklist(visitStatuses, 'must be arrived, completed, no_show or cancelled'),
      reason: v.optional(v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500, 'must be at most 500 characters'))),
    },
    strictObjectMessage('is not a field of a status change'),
  ),
  v.forward(v.check((c) => c.status !== 'cancelled' || c.reason !== undefined, 'is needed to cancel on a patient\'s behalf'), ['reason']),
);
export type StatusChange = v.InferOutput<typeof StatusChangeSchema>;

export const NoteSchema = v.strictObject(
  { body: v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(2000, 'must be at most 2000 characters')) },
  strictObjectMessage('is not a field of a note'),
);
export type Note = v.InferOutput<typeof NoteSchema>;

const notFound = () => new DomainError('not_found', 'There is no such appointment.');
const isTransitionRefusal = (err: unknown) =>
  (err as { code?: string; constraint?: string })?.code === '23514' && (err as { constraint?: string }).constraint === 'appointments_status_transition';

/** The appointment, locked, if it exists and is in the actor's scope; else the same 404 for both. */
async function lockInScope(repo: FrontDeskRepo, who: StaffContext, idText: string) {
  if (!/^[1-9][0-9]{0,17}$/.test(idText)) throw notFound();
  const scope = doctorScope(who.actor);
  if (scope === 'none') throw new DomainError('forbidden', 'A clinician needs a doctor in their sign-in to see appointments.');
  const row = await repo.lock(idText);
  if (!row || (scope !== null && row.doctor_id !== scope)) throw notFound();
  return row;
}

/** Moves a visit on. The same status again is a 200 that changes nothing and sends no event. */
export async function changeStatus(db: Db, who: StaffContext, idText: string, change: StatusChange, source: string): Promise<string> {
  requirePermission(who.actor, permissionFor[change.status]);
  try {
    return await db.tx('staff-status', async (t) => {
      const repo = new FrontDeskRepo(t);
      const row = await lockInScope(repo, who, idText);
      const body = await repo.setStatus(row.id, change.status, source);
      if (change.reason !== undefined) {
        await repo.addNote({ appointmentId: row.id, authorSub: who.actor.sub, authorName: who.actor.name, body: `Cancelled: ${change.reason}` });
      }
      await recordStaffAction(t, who, `appointment.${change.status}`, [row.id]);
      return body;
    });
  } catch (err) {
    if (isTransitionRefusal(err)) throw new DomainError('invalid_transition', `This appointment cannot be marked ${change.status.replace('_', ' ')} from where it is.`);
    throw err;
  }
}

export async function addNote(db: Db, who: StaffContext, idText: string, note: Note): Promise<string> {
  requirePermission(who.actor, 'appointments:visit');
  return db.tx('staff-note', async (t) => {
    const repo = new FrontDeskRepo(t);
    const row = await lockInScope(repo, who, idText);
    const body = await repo.addNote({ appointmentId: row.id, authorSub: who.actor.sub, authorName: who.actor.name, body: note.body });
    await recordStaffAction(t, who, 'note.add', [row.id]);
    return body;
  });
}

/** An appointment's notes: staff reading patient data, so it is on the record too. */
export async function listNotes(db: Db, who: StaffContext, idText: string): Promise<string> {
  requirePermission(who.actor, 'appointments:visit');
  return db.tx('staff-notes-read', async (t) => {
    const repo = new FrontDeskRepo(t);
    const row = await lockInScope(repo, who, idText);
    const body = await repo.listNotes(row.id);
    await recordStaffAction(t, who, 'notes.read', [row.id]);
    return body;
  });
}
