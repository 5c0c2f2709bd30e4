import { requirePatientDataKeys } from './config';
import type { Db } from './db';
import { openContact } from './privacy/seal';
import { StaffRepo } from './db/repos/staff';
import { DomainError } from './errors';
import { can, doctorScope, type StaffActor } from './identity';
import { listAppointments } from './listing';
import type { ListQuery } from './schemas/listing';
import { auditColumns, recordStaffAction, type RequestOrigin } from './staff-audit';

const notFound = () => new DomainError('not_found', 'There is no such appointment.');

/** The doctor whose rows the actor sees (null: all); a 403 for a role that sees none. */
function scopeOf(actor: StaffActor): number | null {
  const scope = doctorScope(actor);
  if (scope === 'none') throw new DomainError('forbidden', 'A clinician needs a doctor in their sign-in to see appointments.');
  return scope;
}

/**
 * The staff listing as the actor may see it: a clinician's is always their own doctor's, and
 * asking for another doctor is a 403 (doctors are public, so naming one reveals nothing). The
 * page and its audit row (naming every appointment on it, and so every contact shown) are one
 * statement: no page is shown unaudited.
 */
export async function listForStaff(db: Db, actor: StaffActor, query: ListQuery, origin: RequestOrigin): Promise<string> {
  const withContacts = can(actor, 'appointments:contact');
  const { body, contacts } = await listAppointments(db, scopedQuery(actor, query), auditColumns({ actor, ...origin }), withContacts);
  if (!withContacts) return body;
  // The front desk's day shows how to reach each patient, for the roles that may see it: the
  // contacts are opened here, and nowhere else (functions/core/privacy).
  const page = JSON.parse(body) as { items: Array<Record<string, unknown> & { id: number }>; next_cursor: string | null };
  const keys = requirePatientDataKeys();
  for (const item of page.items) {
    const found = contacts.get(String(item.id));
    const contact = found?.sealed ? openContact(keys, found.sealed) : (found?.clear ?? { email: null, phone: null });
    item.patient_email = contact.email;
    item.patient_phone = contact.phone;
  }
  return JSON.stringify(page);
}

function scopedQuery(actor: StaffActor, query: ListQuery): ListQuery {
  const scope = scopeOf(actor);
  if (scope === null) return query;
  if (query.doctor_id !== undefined && query.doctor_id !== scope) {
    throw new DomainError('forbidden', "Clinicians see their own doctor's appointments only.");
  }
  return { ...query, doctor_id: scope };
}

/**
 * One appointment by id. Another doctor's appointment is the same 404 as a missing one, so a
 * clinician cannot learn which ids exist (OWASP API1, broken object level authorization).
 */
export async function findForStaff(db: Db, actor: StaffActor, idText: string, origin: RequestOrigin): Promise<string> {
  if (!/^[1-9][0-9]{0,17}$/.test(idText)) throw notFound();
  const scope = scopeOf(actor);
  const withContact = can(actor, 'appointments:contact');
  const found = await new StaffRepo(db).findById(idText, withContact);
  if (!found || (scope !== null && found.doctorId !== scope)) throw notFound();
  await recordStaffAction(db, { actor, ...origin }, 'appointment.read', [idText]);
  if (!withContact) return found.body;
  // Decrypted here, for a role that may see it, and nowhere else (functions/core/privacy).
  const contact = found.sealedContact ? openContact(requirePatientDataKeys(), found.sealedContact) : found.clearContact;
  return `${found.body.slice(0, -1)},"patient_email":${JSON.stringify(contact.email)},"patient_phone":${JSON.stringify(contact.phone)}}`;
}
