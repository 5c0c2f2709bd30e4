import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { log } from '../../functions/core/log';
import { currentRequest, traceIdOf, withRequestContext } from '../../functions/core/request-context';
import { call, startApp, type RunningApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl);
});
after(async () => {
  await app.close();
  await db.drop();
});

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;

describe('traceIdOf', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    [traceparent, traceId],
    [` ${traceparent} `, traceId],
    // A later version may append fields; version 00 may not.
    [`01-${traceId}-00f067aa0ba902b7-01-extra`, traceId],
    [`${traceparent}-extra`, undefined],
    [`ff-${traceId}-00f067aa0ba902b7-01`, undefined],
    [`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, undefined],
    [`00-${traceId}-${'0'.repeat(16)}-01`, undefined],
    [`00-${traceId.toUpperCase()}-00f067aa0ba902b7-01`, undefined],
    ['00-abc-def-01', undefined],
    [undefined, undefined],
  ];
  for (const [header, want] of cases) {
    test(`${JSON.stringify(header)} -> ${want ?? 'none'}`, () => assert.equal(traceIdOf(header), want));
  }
});

describe('X-Request-Id and traceparent', () => {
  test('every answer has its own request id, success or error alike', async () => {
    const ids = new Set<string>();
    for (const path of ['/healthz', '/api/doctors', '/no/such/path', '/healthz']) {
      const res = await fetch(app.url + path);
      const id = res.headers.get('x-request-id') ?? '';
      assert.match(id, /^[0-9a-f]{32}$/, path);
      assert.equal(res.headers.get('traceparent'), null, 'no traceparent is made up');
      ids.add(id);
    }
    assert.equal(ids.size, 4);
  });

  test('a valid incoming traceparent gives its trace id and is echoed', async () => {
    const res = await call(app.url, 'GET', '/healthz', { headers: { traceparent } });
    assert.equal(res.headers.get('x-request-id'), traceId);
    assert.equal(res.headers.get('traceparent'), traceparent);
  });

  test('an invalid one is ignored: a fresh id, nothing echoed', async () => {
    const bad = `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`;
    const res = await fetch(app.url + '/healthz', { headers: { traceparent: bad } });
    assert.notEqual(res.headers.get('x-request-id'), '0'.repeat(32));
    assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
    assert.equal(res.headers.get('traceparent'), null);
  });
});

describe('log lines carry the request id', () => {
  let server: Server;
  let url: string;
  const lines: string[] = [];
  before(async () => {
    server = createServer((req, res) =>
      withRequestContext(req, res, 'test', 'unmatched', () => {
        log.warn('before the await');
        setTimeout(async () => {
          await Promise.resolve();
          log.warn('after a timer and an await', { field: 1 });
          res.end(currentRequest()?.requestId);
        }, 5);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('every line written while serving, sync or after awaits, has the id the caller got', async () => {
    log.setLevel('WARNING');
    const write = process.stdout.write;
    // The test runner reports on stdout too: only log lines are taken, the rest goes on.
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('{"severity"')) {
        lines.push(chunk);
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    }) as typeof process.stdout.write;
    let answers: Array<{ header: string | null; body: string }>;
    try {
      answers = await Promise.all(
        [1, 2, 3].map(async () => {
          const res = await fetch(url);
          return { header: res.headers.get('x-request-id'), body: await res.text() };
        }),
      );
      log.warn('outside any request');
    } finally {
      process.stdout.write = write;
      log.setLevel('ERROR');
    }
    const parsed = lines.map((l) => JSON.parse(l));
    assert.equal(parsed.length, 7);
    for (const a of answers) {
      assert.equal(a.header, a.body);
      const mine = parsed.filter((p) => p.request_id === a.header);
      assert.deepEqual(mine.map((p) => p.message), ['before the await', 'after a timer and an await']);
    }
    const outside = parsed.find((p) => p.message === 'outside any request');
    assert.ok(outside && !('request_id' in outside));
  });
});

describe('GET /metrics', () => {
  test('answers a direct request in Prometheus\'s text format', async () => {
    const res = await fetch(`${app.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /^# HELP http_server_request_duration_seconds /m);
    assert.match(text, /^booking_attempts_total\{outcome="booked"\} 0$/m);
  });

  test('is 404 to a request that came through a proxy (the public route on Knative)', async () => {
    const proxied: Array<Record<string, string>> = [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }];
    for (const headers of proxied) {
      const res = await call(app.url, 'GET', '/metrics', { headers });
      assert.equal(res.status, 404);
      assert.equal(res.body.error, 'not_found');
    }
  });

  test('the request to an appointment is labelled by its template', async () => {
    const reference = 'A'.repeat(22);
    assert.equal((await call(app.url, 'GET', `/api/appointments/${reference}`)).status, 404);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    assert.ok(!text.includes(reference));
    assert.match(text, /http_server_request_duration_seconds_count\{function="list-appointments",route="\/api\/appointments\/:reference",method="GET",status="404"\} 1/);
  });
});
