import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CloudEvent, HTTP } from 'cloudevents';

/** audit-log with its database down: it must answer 5xx so the Broker retries, never acknowledge. */
let server: Server;
let base: string;

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  process.env.DATABASE_URL = `postgres://booking_app:unused@127.0.0.1:${await closedPort()}/healthcare`;
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
});

test('a valid event is not acknowledged while the database is down', async () => {
  const event = new CloudEvent({
    id: 'b1f0c1de-0000-4000-8000-000000000001',
    type: 'health.booking.appointment.booked.v1',
    source: '/functions/create-booking',
    subject: 'appointments/1',
    datacontenttype: 'application/json',
    data: { id: 1, doctor_id: 1, appointment_time: '2030-01-01T09:00:00.000Z', end_time: '2030-01-01T09:30:00.000Z', status: 'booked' },
  });
  const message = HTTP.binary(event);
  const res = await fetch(base + '/', { method: 'POST', headers: message.headers as Record<string, string>, body: message.body as string });
  assert.equal(res.status, 500);
  const body = await res.text();
  assert.ok(!/ECONNREFUSED|127\.0\.0\.1|booking_app/.test(body), 'the answer shows nothing inside');
});

test('GET /healthz answers 503', async () => {
  const res = await fetch(base + '/healthz');
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), { ok: false, reason: 'unreachable' });
});
