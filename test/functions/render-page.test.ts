import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startApp, type RunningApp } from '../helpers/app';

/**
 * render-page on its own, as its Knative Service runs it, with API URLs configured per
 * function and a database that does not answer: the page must not need it.
 */
let app: RunningApp;
const web = join(__dirname, '..', '..', 'dist', 'web');
const manifest: Record<string, string> = JSON.parse(readFileSync(join(web, 'manifest.json'), 'utf8'));

before(async () => {
  app = await startApp(
    // Nothing listens on port 1: every query fails at once.
    'postgres://nobody:nothing@127.0.0.1:1/nowhere',
    {
      API_BASE_URL: 'https://api.clinic.example',
      AVAILABILITY_URL: 'https://availability.clinic.example/',
      CANCEL_BOOKING_URL: 'https://cancel.clinic.example:8443/base',
    },
    (all) => all.filter((fn) => fn.name === 'render-page'),
  );
});

after(() => app.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A plain HTTP request that sends the path as written (a URL would resolve %2e%2e) and leaves
 * the body as sent (fetch would decompress it).
 */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

test('GET / and GET /book answer the page with <booking-widget>, without the database', async () => {
  for (const path of ['/', '/book', '/book/']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    const html = res.body.toString();
    assert.match(html, /<booking-widget><\/booking-widget>/);
    assert.match(html, /<a href="\/staff">For clinic staff<\/a>/);
  }
  const staff = await get('/staff');
  assert.equal(staff.status, 200);
  assert.match(staff.body.toString(), /<appointments-table><\/appointments-table>/);
  // The page needs no database, so neither does its probe: PostgreSQL being down must not
  // take the page offline.
  const health = await get('/healthz');
  assert.equal(health.status, 200);
  assert.deepEqual(JSON.parse(health.body.toString()), { ok: true });
});

test('the Content-Security-Policy is strict: own scripts only, no inline, connect only to the API origins', async () => {
  const res = await get('/');
  const csp = res.headers['content-security-policy'] as string;
  assert.ok(csp, 'a CSP header is sent');
  const d = directives(csp);
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'self'"]);
  assert.deepEqual(d.get('style-src'), ["'self'"]);
  assert.deepEqual(d.get('base-uri'), ["'none'"]);
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(d.get('object-src') ?? d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('require-trusted-types-for'), ["'script'"]);
  assert.deepEqual(
    d.get('connect-src'),
    ["'self'", 'https://availability.clinic.example', 'https://api.clinic.example', 'https://cancel.clinic.example:8443'],
    "each configured API origin once, and no other",
  );
  assert.doesNotMatch(csp, /unsafe-|\*/, 'no unsafe-inline, unsafe-eval or wildcard anywhere');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');

  // Every <script> either loads a file of our own or is a JSON data block: nothing inline runs.
  const html = res.body.toString();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2);
  for (const [, attributes, content] of scripts) {
    if (/type="application\/json"/.test(attributes)) continue;
    assert.match(attributes, /^ type="module" src="\/assets\/index-[A-Z0-9]+\.js"$/);
    assert.equal(content, '');
  }
  assert.doesNotMatch(html, /\son[a-z]+=|javascript:|style="/i, 'no inline handlers or styles');
});

test('the API base URLs reach the page in its JSON block, each function its own or the shared one', async () => {
  const html = (await get('/')).body.toString();
  const block = /<script type="application\/json" id="booking-config">([^<]*)<\/script>/.exec(html);
  assert.ok(block);
  assert.deepEqual(JSON.parse(block[1]), {
    api: {
      availability: 'https://availability.clinic.example',
      createBooking: 'https://api.clinic.example',
      listAppointments: 'https://api.clinic.example',
      cancelBooking: 'https://cancel.clinic.example:8443/base',
      rescheduleBooking: 'https://api.clinic.example',
      frontDesk: 'https://api.clinic.example',
      staffAudit: 'https://api.clinic.example',
      adminSchedule: 'https://api.clinic.example',
    },
  });
});

test('nothing from the request is reflected in the page', async () => {
  const plain = await get('/book');
  const probe = '"><script>alert(1)</script>';
  for (const path of [`/book?q=${encodeURIComponent(probe)}`, `/book?${probe}`, '/book?next=javascript:alert(1)']) {
    const res = await get(path, { 'X-Forwarded-Host': 'evil.example', Referer: 'https://evil.example/<b>', 'Accept-Language': 'xx<script>' });
    assert.equal(res.status, 200, path);
    assert.deepEqual(res.body, plain.body, `${path}: the same page, byte for byte`);
    assert.equal(res.headers['content-security-policy'], plain.headers['content-security-policy']);
  }
  const html = plain.body.toString();
  assert.doesNotMatch(html, /alert|evil/);
});

test('a hashed asset is served with immutable caching, in gzip or brotli as the client accepts', async () => {
  const file = manifest['index.js'];
  assert.match(file, /^index-[A-Z0-9]{8}\.js$/);
  const original = readFileSync(join(web, file));
  assert.ok((await get('/')).body.toString().includes(`/assets/${file}`), 'the page loads the current bundle');

  const gz = await get(`/assets/${file}`, { 'Accept-Encoding': 'gzip, deflate' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  assert.ok(gz.body.length < original.length / 2);
  assert.deepEqual(gunzipSync(gz.body), original);

  const br = await get(`/assets/${file}`, { 'Accept-Encoding': 'gzip, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.deepEqual(brotliDecompressSync(br.body), original);

  const refused = await get(`/assets/${file}`, { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.deepEqual(refused.body, original);

  const identity = await get(`/assets/${file}`);
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.equal(identity.headers.vary, 'Accept-Encoding');
  assert.deepEqual(identity.body, original);

  const css = await get(`/assets/${manifest['page.css']}`, { 'Accept-Encoding': 'gzip' });
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
});

test('unknown assets, the manifest, and paths around the asset folder are 404', async () => {
  for (const path of ['/assets/index-AAAAAAAA.js', '/assets/manifest.json', `/assets/${manifest['index.js']}.gz`, '/assets/..%2Fmanifest.json', '/assets/', '/assets/%2e%2e']) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.notEqual(res.headers['cache-control'], 'public, max-age=31536000, immutable', path);
  }
});

test('the page answers only GET (and HEAD)', async () => {
  assert.equal((await get('/', {}, 'POST')).status, 405);
  const head = await get('/', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.ok(head.headers['content-security-policy']);
});
