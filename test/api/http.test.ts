import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

const ORIGIN = 'https://clinic.example';
const STAFF_TOKEN = 'http-test-staff-token-abcdefghij';

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { ALLOWED_ORIGINS: `${ORIGIN},https://other.example`, STAFF_TOKEN });
});
after(async () => {
  await app.close();
  await db.drop();
});

async function firstSlot(days = 5): Promise<{ doctorId: number; start: string }> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  return { doctorId, start: res.body.slots[0].start };
}

/** Sends a body in chunks without Content-Length. */
function chunked(path: string, chunks: string[], contentType = 'application/json'): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(app.url + path);
    const req = request({ hostname: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const count = async () => Number((await db.owner.query('SELECT count(*) AS n FROM appointments')).rows[0].n);

describe('body rules', () => {
  test('415 for a body that is not JSON, or no Content-Type; nothing stored', async () => {
    const { doctorId, start } = await firstSlot();
    const json = JSON.stringify({ patient_name: 'A', doctor_id: doctorId, appointment_time: start });
    const before = await count();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      const res = await call(app.url, 'POST', '/api/appointments', { body: json, headers: { 'content-type': type } });
      assert.equal(res.status, 415, type);
      assert.equal(res.body.error, 'unsupported_media_type');
    }
    const none = await fetch(`${app.url}/api/appointments`, { method: 'POST', body: new Blob([json]) });
    assert.equal(none.status, 415);
    assert.equal(await count(), before);
  });

  test('400 for malformed JSON, in the envelope', async () => {
    for (const text of ['{', '{"patient_name": }', 'null', '"text"', '']) {
      const res = await call(app.url, 'POST', '/api/appointments', { body: text, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 400, JSON.stringify(text));
      assert.equal(res.body.error, 'invalid_request');
    }
  });

  test('413 over 16 KiB, announced or chunked; 16 KiB of valid JSON is not refused for its size', async () => {
    const big = JSON.stringify({ patient_name: 'x'.repeat(17 * 1024) });
    const announced = await call(app.url, 'POST', '/api/appointments', { body: big });
    assert.equal(announced.status, 413);
    assert.equal(announced.body.error, 'payload_too_large');
    const streamed = await chunked('/api/appointments', [big.slice(0, 9000), big.slice(9000)]);
    assert.equal(streamed.status, 413);
    const { doctorId, start } = await firstSlot();
    const padded = { patient_name: 'Pad', doctor_id: doctorId, appointment_time: start, patient_email: null };
    const text = JSON.stringify(padded);
    const atLimit = text.replace('{', '{' + ' '.repeat(16 * 1024 - text.length));
    assert.equal(Buffer.byteLength(atLimit), 16 * 1024);
    const ok = await call(app.url, 'POST', '/api/appointments', { body: atLimit });
    assert.equal(ok.status, 201);
  });
});

describe('CORS', () => {
  test('echoes only listed origins, never *', async () => {
    const allowed = await call(app.url, 'GET', '/api/doctors', { headers: { Origin: ORIGIN } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);
    const other = await call(app.url, 'GET', '/api/doctors', { headers: { Origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('preflight names the methods of the function that owns the method asked for', async () => {
    const res = await fetch(`${app.url}/api/appointments/${'A'.repeat(22)}`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'DELETE', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /DELETE/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
    const post = await fetch(`${app.url}/api/appointments`, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    assert.match(post.headers.get('access-control-allow-methods') ?? '', /POST/);
    const evil = await fetch(`${app.url}/api/appointments`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });
});

describe('routing', () => {
  test('404 in the envelope for unknown paths; 405 with Allow for a wrong method', async () => {
    const missing = await call(app.url, 'GET', '/api/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'not_found');
    const wrong = await call(app.url, 'PUT', '/api/appointments');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.body.error, 'invalid_request');
    assert.match(wrong.headers.get('allow') ?? '', /GET/);
    assert.match(wrong.headers.get('allow') ?? '', /POST/);
  });

  test('GET /healthz answers { ok: true } once the database answers', async () => {
    const res = await call(app.url, 'GET', '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true });
  });
});

describe('hostile input', () => {
  const hostile = [
    "Robert'); DROP TABLE appointments;--",
    "' OR '1'='1",
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '${doctorId}',
    '$1; SELECT pg_sleep(5)',
    '\\x27 ünïcödé 名前 👩‍⚕️',
  ];
  test('injection and markup in patient_name are stored verbatim, never executed', async () => {
    for (const name of hostile) {
      const { doctorId, start } = await firstSlot(6);
      const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start } });
      assert.equal(res.status, 201, name);
      assert.equal(res.body.patient_name, name);
      const { rows } = await db.owner.query('SELECT patient_name FROM appointments WHERE id = $1', [res.body.id]);
      assert.equal(rows[0].patient_name, name);
      const lookup = await call(app.url, 'GET', `/api/appointments/${res.body.reference}`);
      assert.equal(lookup.body.patient_name, name);
    }
    const { rows } = await db.owner.query("SELECT to_regclass('appointments') IS NOT NULL AS present");
    assert.equal(rows[0].present, true);
  });

  test('injection in contact fields, ids, times, filters and headers is rejected with 400', async () => {
    const { doctorId, start } = await firstSlot(6);
    const bodies = [
      { patient_name: 'A', doctor_id: doctorId, appointment_time: start, patient_email: "a'@x.org; DROP TABLE doctors" },
      { patient_name: 'A', doctor_id: doctorId, appointment_time: start, patient_phone: "1'; DROP TABLE doctors;--" },
      { patient_name: 'A', doctor_id: `${doctorId} OR 1=1`, appointment_time: start },
      { patient_name: 'A', doctor_id: doctorId, appointment_time: `${start}'; DROP TABLE doctors;--` },
    ];
    for (const body of bodies) {
      const res = await call(app.url, 'POST', '/api/appointments', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const filter = await call(app.url, 'GET', `/api/appointments?status=${encodeURIComponent("booked' OR '1'='1")}`, { headers: { Authorization: `Bearer ${STAFF_TOKEN}` } });
    assert.equal(filter.status, 400);
    const { rows } = await db.owner.query("SELECT to_regclass('doctors') IS NOT NULL AS present");
    assert.equal(rows[0].present, true);
  });
});

describe('what errors and logs show', () => {
  const leaks = [/\bat \S+ \(/, /\.ts:\d+/, /SELECT|INSERT|UPDATE|DELETE FROM/i, /ERROR:/, /postgres:\/\//, /constraint|relation|syntax/i];

  test('error bodies carry no stack, SQL or patient data', async () => {
    const name = 'Zebediah Quillfeather';
    const { doctorId, start } = await firstSlot(7);
    await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start } });
    const responses = [
      await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start } }),
      await call(app.url, 'POST', '/api/appointments', { body: { patient_name: `${name}\u0007`, doctor_id: doctorId, appointment_time: start } }),
      await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start, patient_email: `${name}@` } }),
      await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: '2020-01-01T00:00:00Z' } }),
      await call(app.url, 'POST', '/api/appointments', { body: `{"patient_name": "${name}"`, headers: { 'content-type': 'application/json' } }),
      await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start, nickname: name } }),
    ];
    for (const res of responses) {
      assert.ok(res.status >= 400 && res.status < 500, String(res.status));
      assert.equal(typeof res.body.error, 'string');
      assert.ok(!res.text.includes('Zebediah') && !res.text.includes('Quillfeather'), res.text);
      for (const leak of leaks) assert.doesNotMatch(res.text, leak);
    }
  });

  test('a 500 says internal and nothing more, and its log line has no patient data', async () => {
    const name = 'Philippa Unloggable';
    const { doctorId, start } = await firstSlot(8);
    const lines: string[] = [];
    const original = { out: process.stdout.write, err: process.stderr.write };
    const capture = (chunk: unknown) => (lines.push(String(chunk)), true);
    // The app cannot insert for a moment: a real server-side failure, not a mock.
    await db.owner.query('REVOKE INSERT ON appointments FROM booking_app');
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    let res;
    try {
      res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start, patient_email: 'philippa@example.org' } });
    } finally {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
      await db.owner.query('GRANT INSERT ON appointments TO booking_app');
    }
    assert.equal(res.status, 500);
    assert.deepEqual(Object.keys(res.body).sort(), ['error', 'message']);
    assert.equal(res.body.error, 'internal');
    for (const leak of leaks) assert.doesNotMatch(res.text, leak);
    assert.ok(lines.length > 0, 'the failure is logged');
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(typeof entry.severity, 'string');
      assert.equal(typeof entry.message, 'string');
      assert.ok(!line.includes('Philippa') && !line.includes('philippa@'), line);
      assert.ok(!line.includes(db.appUrl) && !line.includes('postgres://'), 'no connection string');
    }
    const after = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start } });
    assert.equal(after.status, 201, 'and the service recovers');
  });
});
