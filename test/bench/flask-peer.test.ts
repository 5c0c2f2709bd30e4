import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { flaskPeerMissing, startFlaskPeer } from '../../scripts/lib/bench/peers';
import type { ServerChild } from '../../scripts/lib/bench/processes';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

// The bench compares the project with this peer; a peer that double-booked or answered
// something else than the project would make the ratio meaningless.
const missing = flaskPeerMissing();
let db: TestDatabase;
let peer: ServerChild;
let doctorId: number;

describe('the bench\'s Flask peer (the design this project replaces)', { skip: missing }, () => {
  before(async () => {
    db = await createTestDatabase();
    doctorId = await addDoctor(db, { slotMinutes: 30 });
    peer = await startFlaskPeer({ root: join(__dirname, '..', '..'), env: { ...process.env, DATABASE_URL: db.appUrl }, workers: 2, label: 'test-flask-peer' });
  });
  after(async () => {
    await peer?.stop();
    await db?.drop();
  });

  test('lists a day\'s slots with the project\'s body', async () => {
    const res = await fetch(`${peer.url}/api/doctors/${doctorId}/slots?date=${futureDate(7)}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { doctor_id: number; slots: Array<{ start: string; available: boolean }> };
    assert.equal(body.doctor_id, doctorId);
    assert.equal(body.slots.length, 16);
    assert.ok(body.slots.every((s) => s.available));
    assert.equal((await fetch(`${peer.url}/api/doctors/${doctorId}/slots?date=tomorrow`)).status, 400);
  });

  test('of 12 patients booking one slot at once, exactly one gets it', async () => {
    const slots = (await (await fetch(`${peer.url}/api/doctors/${doctorId}/slots?date=${futureDate(8)}`)).json()) as { slots: Array<{ start: string }> };
    const start = slots.slots[3].start;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${peer.url}/api/appointments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ patient_name: `Peer Patient ${i}`, doctor_id: doctorId, appointment_time: start }),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [201, ...Array(11).fill(409)]);
    const created = answers.find((a) => a.status === 201)!;
    assert.match(created.headers.get('location') ?? '', /^\/api\/appointments\/[A-Za-z0-9_-]{22}$/);
    const { rows } = await db.owner.query("SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND appointment_time = $2 AND status = 'booked'", [doctorId, start]);
    assert.equal(rows[0].n, 1);
    const { rows: events } = await db.owner.query("SELECT count(*)::int AS n FROM outbox WHERE source = '/functions/flask-peer'");
    assert.equal(events[0].n, 1, 'the booking queued its event in the same statement');
  });

  test('refuses a body without the required fields, and a time off the grid', async () => {
    const bad = await fetch(`${peer.url}/api/appointments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"doctor_id":1}' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_request');
    const off = await fetch(`${peer.url}/api/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patient_name: 'Peer Patient', doctor_id: doctorId, appointment_time: `${futureDate(9)}T09:07:00Z` }),
    });
    assert.equal(off.status, 422);
  });
});
