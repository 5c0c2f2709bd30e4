import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';

let app: RunningApp;
before(async () => {
  // A server that is not there: nothing listens on port 1.
  app = await startApp('postgres://booking_app:x@127.0.0.1:1/healthcare');
});
after(() => app.close());

test('GET /healthz is 503 while the database does not answer', async () => {
  const res = await call(app.url, 'GET', '/healthz');
  assert.equal(res.status, 503);
  assert.deepEqual(res.body, { ok: false });
});

test('a request needing the database is a 500 internal that shows nothing', async () => {
  const res = await call(app.url, 'GET', '/api/doctors');
  assert.equal(res.status, 500);
  assert.deepEqual(res.body, { error: 'internal', message: res.body.message });
  assert.doesNotMatch(res.text, /127\.0\.0\.1|ECONNREFUSED|postgres/);
});
