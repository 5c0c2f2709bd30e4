import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApiError, BookingApi, sameOrigin, type Endpoints } from '../../web/src/api';
import { offerFor, StaffApi, statusActions, type StaffMe, type StatusChange } from '../../web/src/lib/staff-api';
import { startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';
import { startIssuer, type TestIssuer } from '../identity/issuer';

/**
 * The staff page's client in plain Node against the real API: the buttons it offers each role
 * for each visit status are exactly the changes the server then accepts (every other change is
 * refused), so the page's mirror of the permission table and the status machine cannot drift.
 */
let db: TestDatabase;
let app: RunningApp;
let issuer: TestIssuer;
let doctor: number;
const roles = ['admin', 'reception', 'clinician'] as const;
const tokens: Record<string, string> = {};
const clients: Record<string, StaffApi> = {};
let endpoints: Endpoints;
let slots: string[] = [];

before(async () => {
  issuer = await startIssuer();
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { OIDC_ISSUER: issuer.url, OIDC_AUDIENCE: issuer.audience });
  doctor = await addDoctor(db, { name: 'Dr Mirror' });
  tokens.admin = await issuer.token({ sub: 'u-admin', name: 'Ada Admin', roles: ['admin'] });
  tokens.reception = await issuer.token({ sub: 'u-reception', name: 'Rita Reception', roles: ['reception'] });
  tokens.clinician = await issuer.token({ sub: 'u-clinician', name: 'Dr Mirror', roles: ['clinician'], doctor_id: doctor });
  endpoints = Object.fromEntries(Object.keys(sameOrigin).map((k) => [k, app.url])) as unknown as Endpoints;
  for (const role of roles) clients[role] = new StaffApi(() => tokens[role], endpoints);
  const booking = new BookingApi(endpoints);
  for (let day = 2; slots.length < 80; day++) slots.push(...(await booking.slots(doctor, futureDate(day))).slots.filter((s) => s.available).map((s) => s.start));
});
after(async () => {
  await app.close();
  await issuer.close();
  await db.drop();
});

async function me(role: string): Promise<StaffMe> {
  const res = await fetch(`${app.url}/api/staff/me`, { headers: { authorization: `Bearer ${tokens[role]}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as StaffMe;
}

/** A booking made by reception through the client, moved on to `status` by allowed steps. */
async function appointmentAt(status: string): Promise<number> {
  const made = await clients.reception.bookForPatient({ patient_name: 'Mira Mirror', doctor_id: doctor, appointment_time: slots.shift()!, patient_phone: '+44 20 7946 0123' }, randomUUID());
  const steps: Record<string, StatusChange[]> = {
    booked: [],
    arrived: [{ status: 'arrived' }],
    completed: [{ status: 'arrived' }, { status: 'completed' }],
    no_show: [{ status: 'no_show' }],
    cancelled: [{ status: 'cancelled', reason: 'set up by the test' }],
  };
  for (const step of steps[status]) await clients.reception.changeStatus(made.id, step);
  return made.id;
}

describe('the staff client', () => {
  test('offers each role exactly the status changes the server accepts, from every status', async () => {
    const targets: StatusChange['status'][] = ['arrived', 'completed', 'no_show', 'cancelled'];
    let accepted = 0;
    let refused = 0;
    for (const role of roles) {
      const offer = offerFor(await me(role));
      for (const from of ['booked', 'arrived', 'completed', 'no_show', 'cancelled']) {
        const offered = new Set(statusActions(from, offer).map((a) => a.status));
        for (const to of targets.filter((t) => t !== from)) {
          const id = await appointmentAt(from);
          const change: StatusChange = to === 'cancelled' ? { status: to, reason: 'checked by the test' } : { status: to };
          const outcome = await clients[role].changeStatus(id, change).then(
            (a) => a.status,
            (e: unknown) => (e instanceof ApiError ? e.code : String(e)),
          );
          if (offered.has(to)) {
            assert.equal(outcome, to, `${role} is offered ${from} → ${to}, and the server must take it`);
            accepted++;
          } else {
            assert.ok(['forbidden', 'invalid_transition'].includes(outcome), `${role} is not offered ${from} → ${to}, and the server answered ${outcome}`);
            refused++;
          }
        }
      }
    }
    // 16 changes a role (4 from booked, 3 from each other status); accepted: reception's 3
    // from booked and 1 from arrived, the clinician's 2 and 1, none of the admin's.
    assert.deepEqual({ accepted, refused }, { accepted: 7, refused: 3 * 16 - 7 });
  });

  test('offers the tabs by role as /api/staff/me and the permission table have them', async () => {
    assert.deepEqual(offerFor(await me('admin')), { visit: false, frontDesk: false, audit: true, schedule: true });
    assert.deepEqual(offerFor(await me('reception')), { visit: true, frontDesk: true, audit: false, schedule: false });
    assert.deepEqual(offerFor(await me('clinician')), { visit: true, frontDesk: false, audit: false, schedule: false });
  });

  test('reads one appointment with the contact only for a role that may see it, its notes, and the audit trail', async () => {
    const id = await appointmentAt('booked');
    assert.equal((await clients.reception.appointment(id)).patient_phone, '+44 20 7946 0123');
    const forAdmin = await clients.admin.appointment(id);
    assert.equal(forAdmin.patient_name, 'Mira Mirror');
    assert.ok(!('patient_phone' in forAdmin), 'an admin sees no contact');
    const note = await clients.clinician.addNote(id, 'Allergic to penicillin');
    assert.deepEqual((await clients.reception.notes(id)).map((n) => n.id), [note.id]);
    const page = await clients.admin.audit({ appointment_id: id, action: 'note.add' });
    assert.deepEqual(page.items.map((e) => [e.actor.sub, e.actor.role]), [['u-clinician', 'clinician']]);
    await assert.rejects(clients.reception.audit({}), (e: unknown) => e instanceof ApiError && e.code === 'forbidden');
    const signedOut = new StaffApi(() => undefined, endpoints);
    await assert.rejects(signedOut.appointment(id), (e: unknown) => e instanceof ApiError && e.status === 401);
  });
});
