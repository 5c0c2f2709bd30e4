import type { IDatabase, ITask } from 'pg-promise';
import * as v from 'valibot';
import type { Db } from './db';
import { StaffAuditRepo } from './db/repos/staff-audit';
import { DomainError } from './errors';
import { roles, type StaffActor } from './identity';
import { InstantSchema, PageLimitSchema, strictObjectMessage } from './schemas/common';

/**
 * The staff audit trail (HIPAA 164.312(b)): one row per staff read of patient data and per
 * staff write, the write's in its own transaction. Rows name the actor and the appointment
 * ids, never a patient's name or contact, so the trail itself is not patient data to guard.
 */

/** Where a staff request came from, as the adapter saw it. */
export interface RequestOrigin {
  requestId: string | null;
  clientAddress: string | null;
}

export interface StaffContext extends RequestOrigin {
  actor: StaffActor;
}

/** The role a row is filed under: the actor's most powerful one, or `none`. */
export function primaryRole(actor: StaffActor): string {
  return roles.find((role) => actor.roles.includes(role)) ?? 'none';
}

/** The audit row's who and from where, cut to its columns' lengths. */
export function auditColumns(who: StaffContext) {
  return {
    actorSub: who.actor.sub.slice(0, 255),
    actorName: who.actor.name,
    actorRole: primaryRole(who.actor),
    requestId: who.requestId?.slice(0, 64) ?? null,
    clientAddress: who.clientAddress?.slice(0, 64) ?? null,
  };
}

/** Writes one audit row with `db` (pass the transaction for a write, so both commit or neither). */
export async function recordStaffAction(db: IDatabase<unknown> | ITask<unknown>, who: StaffContext, action: string, appointmentIds: Array<string | number>): Promise<void> {
  await new StaffAuditRepo(db).record({ ...auditColumns(who), action, appointmentIds: appointmentIds.map(String) });
}

const AuditActionSchema = v.pipe(v.string('must be an action like appointment.arrived'), v.regex(/^[a-z_]+\.[a-z_]+$/, 'must be an action like appointment.arrived'));

/** Query of GET /api/audit. Unknown or repeated parameters are a 400, as on every path. */
export const AuditQuerySchema = v.strictObject(
  {
    actor: v.optional(v.pipe(v.string('must be a sub'), v.minLength(1, 'must be a sub'), v.maxLength(255, 'is too long'))),
    action: v.optional(AuditActionSchema),
    appointment_id: v.optional(v.pipe(v.string('must be a positive integer'), v.regex(/^[1-9][0-9]{0,17}$/, 'must be a positive integer'))),
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
    limit: v.optional(PageLimitSchema),
    cursor: v.optional(v.pipe(v.string('must be a cursor from next_cursor'), v.maxLength(40, 'must be a cursor from next_cursor'))),
  },
  strictObjectMessage('is not a filter of the audit trail'),
);
export type AuditQuery = v.InferOutput<typeof AuditQuerySchema>;

function decodeAuditCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!/^[1-9][0-9]{0,17}$/.test(text)) {
    throw new DomainError('invalid_request', 'The cursor is not valid.', [{ path: 'cursor', message: 'must be a next_cursor value from an earlier page' }]);
  }
  return text;
}

/** One page of the trail, newest first; reading it is itself recorded (who watched the watchers). */
export async function listStaffAudit(db: Db, who: StaffContext, query: AuditQuery): Promise<string> {
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
    throw new DomainError('invalid_request', 'The filter is not valid.', [{ path: 'to', message: 'must be later than from' }]);
  }
  const body = await new StaffAuditRepo(db).listJson({
    actorSub: query.actor ?? null,
    action: query.action ?? null,
    appointmentId: query.appointment_id ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    beforeId: query.cursor === undefined ? null : decodeAuditCursor(query.cursor),
    limit: query.limit ?? 50,
  });
  await recordStaffAction(db, who, 'audit.read', []);
  return body;
}
