import type { Db } from './db';
import type { ListingAudit } from './db/repos/appointments';
import { DomainError } from './errors';
import { isRealCalendarDate, LAST_DATE } from './schemas/common';
import type { ListQuery } from './schemas/listing';

const cursorPattern = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}\.\d{6}Z),([1-9]\d{0,18})$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * Decodes a `next_cursor` (made by PostgreSQL in appointments/list.sql); a 400 if it was not
 * one. A hand-made cursor can name 2026-02-31, year 0000 or an id past bigint, which would
 * reach PostgreSQL as a cast error: each is checked here, as the cursors we make always pass.
 */
export function decodeCursor(cursor: string): { afterTime: string; afterId: string } {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = cursorPattern.exec(text);
  const valid =
    match !== null &&
    isRealCalendarDate(match[1]) &&
    match[1] <= LAST_DATE &&
    !Number.isNaN(Date.parse(match[1] + match[2])) &&
    BigInt(match[3]) <= MAX_BIGINT;
  if (!valid) {
    throw new DomainError('invalid_request', 'The cursor is not valid.', [{ path: 'cursor', message: 'must be a next_cursor value from an earlier page' }]);
  }
  return { afterTime: match[1] + match[2], afterId: match[3] };
}

/** One page of the staff listing, ordered by appointment_time then id, audited as it is read. */
export function listAppointments(db: Db, query: ListQuery, audit: ListingAudit, withContacts: boolean) {
  const after = query.cursor === undefined ? { afterTime: null, afterId: null } : decodeCursor(query.cursor);
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
    throw new DomainError('invalid_request', 'The filter is not valid.', [{ path: 'to', message: 'must be later than from' }]);
  }
  const filter = { doctorId: query.doctor_id ?? null, status: query.status ?? null, from: query.from ?? null, to: query.to ?? null, limit: query.limit ?? 50, ...after };
  return db.appointments.listPage(filter, audit, withContacts);
}
