import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';

let app: RunningApp;
before(async () => {
  // A server that is not there: nothing listens on port 1.
  app = await startApp('postgres://booking_app:x@127.0.0.1:1/healthcare');
});
after(() => app.close());

test('GET /healthz is 503 with the reason while the database does not answer; /livez is 200', async () => {
  const res = await call(app.url, 'GET', '/healthz');
  assert.equal(res.status, 503);
  assert.deepEqual(res.body, { ok: false, reason: 'unreachable' });
  assert.equal(res.headers.get('retry-after'), '5');
  const live = await call(app.url, 'GET', '/livez');
  assert.equal(live.status, 200);
  assert.deepEqual(live.body, { ok: true });
});

test('a request needing the database is a 503 unavailable with Retry-After that shows nothing of why', async () => {
  for (const path of ['/api/doctors', '/api/appointments/AAAAAAAAAAAAAAAAAAAAAA']) {
    const res = await call(app.url, 'GET', path);
    assert.equal(res.status, 503, path);
    assert.equal(res.body.error, 'unavailable');
    assert.equal(res.headers.get('retry-after'), '5');
    assert.doesNotMatch(res.text, /127\.0\.0\.1|ECONNREFUSED|postgres/);
  }
});
