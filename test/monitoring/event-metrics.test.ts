import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApp, type RunningApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

/** An event consumer served alone, as on Knative: its events are one series, whatever path they came on. */
let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  // Not in allFunctions (npm start serves no event consumer): served on its own, as its bundle is.
  const { default: auditLog } = await import('../../functions/audit-log');
  app = await startApp(db.appUrl, {}, () => [auditLog]);
});
after(async () => {
  await app.close();
  await db.drop();
});

test('a CloudEvent is timed as route "cloudevent" of its function, and /metrics is served beside it', async () => {
  for (const path of ['/', '/some/where']) {
    const res = await fetch(app.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': `metrics-${path}`,
        'ce-type': 'clinic.test.unknown',
        'ce-source': '/test/monitoring',
      },
      body: JSON.stringify({ nothing: 'of use' }),
    });
    await res.arrayBuffer();
    assert.ok(res.headers.get('x-request-id'));
  }
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const counts = text.split('\n').filter((l) => l.startsWith('http_server_request_duration_seconds_count{function="audit-log",route="cloudevent",method="POST"'));
  assert.equal(counts.reduce((n, l) => n + Number(l.split(' ').pop()), 0), 2, text.split('\n').filter((l) => l.includes('_count')).join('\n'));
  assert.ok(!text.includes('/some/where'));
});
