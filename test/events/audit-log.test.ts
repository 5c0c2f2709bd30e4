import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CloudEvent, HTTP } from 'cloudevents';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

/** audit-log served alone, as its Knative Service runs it, with events POSTed as the Broker does. */
let db: TestDatabase;
let server: Server;
let base: string;

before(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.appUrl;
  const { default: auditLog } = await import('../../functions/audit-log');
  const { createServer } = await import('../../functions/core/server');
  server = createServer([auditLog]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const { closeDatabase } = await import('../../functions/core/db');
  await closeDatabase();
  await db.drop();
});

const BOOKED = 'health.booking.appointment.booked.v1';

function bookedEvent(overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}): CloudEvent<unknown> {
  return new CloudEvent<unknown>(
    {
      id: randomUUID(),
      type: BOOKED,
      source: '/functions/create-booking',
      subject: 'appointments/42',
      time: '2030-01-01T08:00:00.000Z',
      datacontenttype: 'application/json',
      data: { id: 42, doctor_id: 7, appointment_time: '2030-01-01T09:00:00.000Z', end_time: '2030-01-01T09:30:00.000Z', status: 'booked', ...data },
      ...overrides,
    },
    false,
  );
}

async function deliver(event: CloudEvent<unknown>, mode: 'binary' | 'structured' = 'binary'): Promise<number> {
  const message = mode === 'binary' ? HTTP.binary(event) : HTTP.structured(event);
  const res = await fetch(base + '/', { method: 'POST', headers: message.headers as Record<string, string>, body: message.body as string });
  await res.arrayBuffer();
  return res.status;
}

async function rowsFor(source: string, id: string): Promise<any[]> {
  const { rows } = await db.owner.query('SELECT * FROM audit_log WHERE event_source = $1 AND event_id = $2', [source, id]);
  return rows;
}

describe('audit-log', () => {
  test('the same event delivered three times is recorded once', async () => {
    const event = bookedEvent();
    for (let i = 0; i < 3; i++) assert.equal(await deliver(event), 204);
    const rows = await rowsFor(event.source, event.id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].event_type, BOOKED);
    assert.equal(rows[0].subject, 'appointments/42');
    assert.equal(rows[0].appointment_id, '42');
    assert.equal(rows[0].event_time.toISOString(), '2030-01-01T08:00:00.000Z');
    assert.deepEqual(rows[0].data, { id: 42, doctor_id: 7, appointment_time: '2030-01-01T09:00:00.000Z', end_time: '2030-01-01T09:30:00.000Z', status: 'booked' });
  });

  test('three deliveries at once are recorded once, in binary or structured mode', async () => {
    const event = bookedEvent();
    const answers = await Promise.all([deliver(event), deliver(event, 'structured'), deliver(event)]);
    assert.deepEqual(answers, [204, 204, 204]);
    assert.equal((await rowsFor(event.source, event.id)).length, 1);
  });

  test('the same id from another source is another event', async () => {
    const event = bookedEvent();
    assert.equal(await deliver(event), 204);
    assert.equal(await deliver(event.cloneWith({ source: '/functions/elsewhere' })), 204);
    const { rows } = await db.owner.query('SELECT count(*)::int AS n FROM audit_log WHERE event_id = $1', [event.id]);
    assert.equal(rows[0].n, 2);
  });

  test('fields the schema does not name are not stored', async () => {
    const event = bookedEvent({}, { patient_name: 'Ada Lovelace', patient_email: 'ada@example.org' });
    assert.equal(await deliver(event), 204);
    const [row] = await rowsFor(event.source, event.id);
    assert.deepEqual(Object.keys(row.data).sort(), ['appointment_time', 'doctor_id', 'end_time', 'id', 'status']);
  });

  const bad: Array<[string, CloudEvent<unknown>]> = [
    ['an unknown type', bookedEvent({ type: 'health.booking.appointment.moved.v1' })],
    ['a subject that is not an appointment', bookedEvent({ subject: 'doctors/7' })],
    ['a subject naming another appointment', bookedEvent({ subject: 'appointments/43' })],
    ['a status that contradicts the type', bookedEvent({}, { status: 'cancelled' })],
    ['data without its id', bookedEvent({}, { id: undefined })],
    ['a time that is not a time', bookedEvent({}, { appointment_time: 'tomorrow', patient_name: 'Ada Lovelace' })],
    ['data that is not an object', bookedEvent({ data: ['Ada Lovelace', 'booked'] })],
  ];
  for (const [what, event] of bad) {
    test(`acknowledges and does not record ${what}`, async () => {
      assert.equal(await deliver(event), 204, 'a retry cannot fix it, so it is acknowledged');
      assert.equal((await rowsFor(event.source, event.id)).length, 0);
    });
  }

  test('a POST that is no CloudEvent at all is acknowledged', async () => {
    const res = await fetch(base + '/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
    assert.equal(res.status, 204);
  });

  test('logs a refused event without its data', async () => {
    const { log } = await import('../../functions/core/log');
    const lines: string[] = [];
    const write = process.stdout.write;
    // Only our log lines are kept back; the test runner reports through stdout too.
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('{"severity"')) {
        lines.push(chunk);
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    }) as typeof process.stdout.write;
    log.setLevel('WARNING');
    try {
      assert.equal(await deliver(bookedEvent({}, { status: 'nope', patient_name: 'Ada Lovelace' })), 204);
    } finally {
      process.stdout.write = write;
      log.setLevel('ERROR');
    }
    const line = lines.find((l) => l.includes('appointment event refused'));
    assert.ok(line, 'a warning was logged');
    assert.ok(!line.includes('Ada'), 'without patient data');
    assert.match(line, /"fields":"data.status"/);
  });

  test('GET /healthz answers 200 once the database answers', async () => {
    const res = await fetch(base + '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  });

  test('the audit log is append-only: no UPDATE or DELETE for the app, and none even for the owner', async () => {
    const event = bookedEvent();
    assert.equal(await deliver(event), 204);
    const app = new pg.Client({ connectionString: db.appUrl });
    await app.connect();
    try {
      await assert.rejects(app.query("UPDATE audit_log SET event_type = 'x'"), /permission denied/);
      await assert.rejects(app.query('DELETE FROM audit_log'), /permission denied/);
    } finally {
      await app.end();
    }
    await assert.rejects(db.owner.query("UPDATE audit_log SET event_type = 'x'"), /append-only: UPDATE/);
    await assert.rejects(db.owner.query('DELETE FROM audit_log'), /append-only: DELETE/);
    await assert.rejects(db.owner.query('TRUNCATE audit_log'), /append-only: TRUNCATE/);
    assert.equal((await rowsFor(event.source, event.id)).length, 1);
  });
});
