import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { functionNames } from '../../scripts/build';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { asImageUser, copyBundle, IMAGE_UID, startBundle, targetOf } from './bundle';
import { root } from './manifests';

/**
 * Each function's bundle starts from its own folder alone, as in its image: no node_modules,
 * no repository around it, the image's user. The folder is the whole image, so whatever it
 * needs at run time (SQL, web assets) must be inside it.
 */

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.drop();
});

describe('each function bundle, alone in a directory', () => {
  test('runs as the image’s user where it can', (t) => {
    t.diagnostic('uid' in asImageUser() ? `bundles run as UID ${IMAGE_UID}` : `bundles run as UID ${process.getuid?.()}: UID ${IMAGE_UID} cannot run ${process.execPath} here`);
  });

  for (const name of functionNames()) {
    test(`${name}: node index.js listens on PORT and answers GET /healthz 200`, async () => {
      const { default: fn } = await import(join(root, 'functions', name, 'index.ts'));
      // As its Knative Service runs it: no database settings for a function that uses none.
      const database: Record<string, string> = fn.usesDatabase === false ? {} : { DATABASE_URL: db.appUrl, PG_POOL_SIZE: '2' };
      const bundle = copyBundle(`functions/${name}`);
      const app = await startBundle(bundle.dir, { FUNCTION_TARGET: targetOf(name), ...database });
      try {
        const res = await fetch(`${app.url}/healthz`);
        assert.equal(res.status, 200, app.output());
        assert.deepEqual(await res.json(), { ok: true });
        if (name === 'render-page') {
          // The page and every asset it names come from the folder too.
          const page = await fetch(`${app.url}/`);
          assert.equal(page.status, 200);
          assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
          const html = await page.text();
          const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
          assert.ok(assets.length > 0, 'the page names its assets');
          for (const path of assets) assert.equal((await fetch(app.url + path)).status, 200, path);
        }
      } finally {
        const exit = await app.kill();
        bundle.remove();
        assert.equal(exit.code, 0, `SIGTERM should stop it cleanly:\n${app.output()}`);
      }
    });
  }

  test('a bundle given another function’s FUNCTION_TARGET refuses to start', async () => {
    const bundle = copyBundle('functions/availability');
    try {
      await assert.rejects(
        startBundle(bundle.dir, { DATABASE_URL: db.appUrl, FUNCTION_TARGET: 'createBooking' }),
        /exited \(1\) before serving[\s\S]*FUNCTION_TARGET is "createBooking" but this bundle holds "availability"/,
      );
    } finally {
      bundle.remove();
    }
  });
});
