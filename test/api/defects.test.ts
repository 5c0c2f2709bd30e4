import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { call, startApp, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

/**
 * Regressions for the defects outside testers found (issue 9), one describe per defect, each
 * named by its number there. Every response still goes through the contract check in call().
 */
const STAFF_TOKEN = 'defects-test-staff-token-abcdefghij';

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl, { STAFF_TOKEN });
});
after(async () => {
  await app.close();
  await db.drop();
});

const count = async () => Number((await db.owner.query('SELECT count(*) AS n FROM appointments')).rows[0].n);
const staff = { authorization: `Bearer ${STAFF_TOKEN}` };
const cursorOf = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

async function freeSlot(days = 5): Promise<{ doctorId: number; start: string }> {
  const doctorId = await addDoctor(db);
  const res = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(days)}`);
  return { doctorId, start: res.body.slots.find((s: { available: boolean }) => s.available).start };
}

/** A raw POST whose body bytes and headers are exactly as given. */
function rawPost(path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(app.url + path);
    const req = request({ hostname: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-length': String(body.length), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('1: impossible cursors are 400, not 500', () => {
  test('a cursor naming 2026-02-31, year 0000 or an id past bigint', async () => {
    for (const text of ['2026-02-31T10:00:00.000000Z,5', '0000-01-01T00:00:00.000000Z,5', '2026-01-01T10:00:00.000000Z,9999999999999999999', '2026-01-01T25:00:00.000000Z,5']) {
      const res = await call(app.url, 'GET', `/api/appointments?cursor=${cursorOf(text)}`, { headers: staff });
      assert.equal(res.status, 400, text);
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(res.body.issues[0].path, 'cursor');
    }
    // The largest bigint is still a well-formed cursor.
    const ok = await call(app.url, 'GET', `/api/appointments?cursor=${cursorOf('2026-01-01T10:00:00.000000Z,9223372036854775807')}`, { headers: staff });
    assert.equal(ok.status, 200);
  });
});

describe('2: years past the calendar are 400; no slot is listed that would be refused', () => {
  test('a time whose UTC year is 10000, in a booking and in from/to', async () => {
    const { doctorId } = await freeSlot();
    const before = await count();
    const booking = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Far', doctor_id: doctorId, appointment_time: '9999-12-31T23:59:59-23:59' } });
    assert.equal(booking.status, 400);
    assert.equal(booking.body.issues[0].path, 'appointment_time');
    for (const name of ['from', 'to']) {
      const res = await call(app.url, 'GET', `/api/appointments?${name}=${encodeURIComponent('9999-12-31T23:59:59-23:59')}`, { headers: staff });
      assert.equal(res.status, 400, name);
      assert.equal(res.body.issues[0].path, name);
    }
    assert.equal(await count(), before);
  });

  test('slots of 9999-12-31 are 400; a day past the booking horizon lists nothing available, and booking it is 422', async () => {
    const { doctorId } = await freeSlot();
    const far = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=9999-12-31`);
    assert.equal(far.status, 400);
    const beyond = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${futureDate(200)}`);
    assert.equal(beyond.status, 200);
    assert.ok(beyond.body.slots.length > 0);
    assert.ok(beyond.body.slots.every((s: { available: boolean }) => !s.available));
    const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Early Bird', doctor_id: doctorId, appointment_time: beyond.body.slots[0].start } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'not_bookable');
    assert.match(res.body.message, /180 days/);
  });
});

describe('3: before 1970 is not a real date; a real past time is not bookable', () => {
  test('1969 in a booking or a date is 400; yesterday is 422; a past day lists every slot unavailable', async () => {
    const { doctorId } = await freeSlot();
    const old = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Old', doctor_id: doctorId, appointment_time: '1969-12-31T09:00:00Z' } });
    assert.equal(old.status, 400);
    assert.match(old.body.issues[0].message, /not a real calendar date/);
    const oldDay = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=1969-12-31`);
    assert.equal(oldDay.status, 400);
    assert.match(oldDay.body.issues[0].message, /not a real calendar date/);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const past = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${yesterday}`);
    assert.equal(past.status, 200);
    assert.ok(past.body.slots.length > 0 && past.body.slots.every((s: { available: boolean }) => !s.available));
    const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Late', doctor_id: doctorId, appointment_time: past.body.slots[0].start } });
    assert.equal(res.status, 422);
    assert.equal(res.body.error, 'not_bookable');
  });
});

describe('4: ids past int32 are "too large"; a well-formed unknown id is 404', () => {
  test('in the body and in the path', async () => {
    const { start } = await freeSlot();
    const body = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Big', doctor_id: 2147483648, appointment_time: start } });
    assert.equal(body.status, 400);
    assert.deepEqual(body.body.issues, [{ path: 'doctor_id', message: 'is too large' }]);
    for (const id of ['2147483648', '1234567890123']) {
      const res = await call(app.url, 'GET', `/api/doctors/${id}/slots?date=${futureDate()}`);
      assert.equal(res.status, 400, id);
      assert.equal(res.body.issues[0].message, 'is too large');
    }
    const unknown = await call(app.url, 'GET', `/api/doctors/2147483647/slots?date=${futureDate()}`);
    assert.equal(unknown.status, 404);
    const unknownBooking = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Nobody', doctor_id: 2147483647, appointment_time: start } });
    assert.equal(unknownBooking.status, 404);
  });
});

describe('5: compressed bodies are refused before they are inflated', () => {
  test('gzip (valid or broken) is 415 and stores nothing; a huge chunked body stops at 16 KiB with 413', async () => {
    const { doctorId, start } = await freeSlot();
    const before = await count();
    const json = Buffer.from(JSON.stringify({ patient_name: 'Zipped', doctor_id: doctorId, appointment_time: start }));
    for (const [coding, bytes] of [['gzip', gzipSync(json)], ['gzip', Buffer.from('not gzip at all')], ['deflate', json], ['br', json]] as const) {
      const res = await rawPost('/api/appointments', bytes, { 'content-type': 'application/json', 'content-encoding': coding });
      assert.equal(res.status, 415, coding);
      assert.equal(res.body.error, 'unsupported_media_type');
    }
    // 300 KB that would inflate to 300 MiB: refused on its header, never inflated.
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024, 0x20));
    const bombed = await rawPost('/api/appointments', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(bombed.status, 415);
    assert.equal(await count(), before);
  });

  test('a chunked body of 20 MiB is cut off at the limit with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(app.url);
      const req = request({ hostname: url.hostname, port: url.port, path: '/api/appointments', method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 320 && req.write(chunk)) sent++;
        if (sent < 320 && !req.destroyed) req.once('drain', pump);
        else req.end();
      };
      pump();
      setTimeout(() => reject(new Error('no answer')), 10_000).unref();
    });
    assert.equal(status, 413);
  });
});

describe('6: only valid UTF-8 JSON', () => {
  test('invalid UTF-8 bytes and lone surrogates are 400; utf-7 and utf-16le are 415; utf-8 is fine', async () => {
    const { doctorId, start } = await freeSlot();
    const before = await count();
    const prefix = Buffer.from(`{"doctor_id":${doctorId},"appointment_time":"${start}","patient_name":"A`);
    const invalid = Buffer.concat([prefix, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    const bad = await rawPost('/api/appointments', invalid, { 'content-type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /UTF-8/);
    const encodedSurrogate = Buffer.concat([prefix, Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    assert.equal((await rawPost('/api/appointments', encodedSurrogate, { 'content-type': 'application/json' })).status, 400);
    const escaped = Buffer.concat([prefix, Buffer.from('\\ud800"}')]);
    const lone = await rawPost('/api/appointments', escaped, { 'content-type': 'application/json' });
    assert.equal(lone.status, 400);
    assert.match(lone.body.message, /surrogate/);
    for (const charset of ['utf-7', 'utf-16le', 'latin1']) {
      const res = await rawPost('/api/appointments', Buffer.concat([prefix, Buffer.from('"}')]), { 'content-type': `application/json; charset=${charset}` });
      assert.equal(res.status, 415, charset);
    }
    assert.equal(await count(), before);
    const ok = await rawPost('/api/appointments', Buffer.concat([prefix, Buffer.from('"}')]), { 'content-type': 'application/json; charset=UTF-8' });
    assert.equal(ok.status, 201);
  });
});

describe('7: names a reader can see', () => {
  test('invisible-only names and bidi overrides are 400; 60 emoji fit; the limit counts code points', async () => {
    const { doctorId, start } = await freeSlot();
    const before = await count();
    for (const name of ['\u200b', '\ufeff\u200b\u200b', '\u{E0041}\u{E0042}\u{E0043}', '\uE000\uE001', 'Ann\u202Eevil', '\u2066Bob\u2069']) {
      const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start } });
      assert.equal(res.status, 400, JSON.stringify(name));
      assert.equal(res.body.issues[0].path, 'patient_name');
    }
    const tooLong = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: '😀'.repeat(101), doctor_id: doctorId, appointment_time: start } });
    assert.equal(tooLong.status, 400);
    assert.equal(await count(), before);
    const emoji = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: '😀'.repeat(60), doctor_id: doctorId, appointment_time: start } });
    assert.equal(emoji.status, 201);
    const family = await freeSlot();
    const joined = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Zoë 👨‍👩‍👧', doctor_id: family.doctorId, appointment_time: family.start } });
    assert.equal(joined.status, 201);
  });
});

describe('8: a missing field is called missing', () => {
  test('in a booking and in a query', async () => {
    const { doctorId } = await freeSlot();
    const res = await call(app.url, 'POST', '/api/appointments', { body: { doctor_id: doctorId } });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.issues.map((i: { path: string; message: string }) => [i.path, i.message]),
      [['patient_name', 'is missing'], ['appointment_time', 'is missing']],
    );
    const extra = await call(app.url, 'POST', '/api/appointments', { body: { doctor_id: doctorId, patient_name: 'A', appointment_time: '2030-01-01T09:00:00Z', notes: 'x' } });
    assert.deepEqual(extra.body.issues, [{ path: 'notes', message: 'is not part of a booking' }]);
    const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots`);
    assert.equal(slots.status, 400);
    assert.deepEqual(slots.body.issues, [{ path: 'date', message: 'is missing' }]);
  });
});

describe('9: unknown query parameters are 400 everywhere', () => {
  test('__proto__, and parameters on routes that take none', async () => {
    const { doctorId, start } = await freeSlot();
    const booked = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'Q', doctor_id: doctorId, appointment_time: start } });
    const ref = booked.body.reference;
    const cases: Array<[string, string]> = [
      ['GET', `/api/doctors/${doctorId}/slots?date=${futureDate()}&__proto__=x`],
      ['GET', `/api/doctors/${doctorId}/slots?date=${futureDate()}&constructor=x`],
      ['GET', '/api/doctors?specialty=x'],
      ['GET', '/api/doctors?__proto__=x'],
      ['GET', '/healthz?verbose=1'],
      ['GET', `/api/appointments/${ref}?x=1`],
      ['DELETE', `/api/appointments/${ref}?x=1`],
      ['GET', '/api/appointments?__proto__[doctor_id]=1'],
    ];
    for (const [method, path] of cases) {
      const res = await call(app.url, method, path, { headers: staff });
      assert.equal(res.status, 400, `${method} ${path}`);
      assert.equal(res.body.error, 'invalid_request');
    }
    // Nothing was cancelled by the refused DELETE.
    assert.equal((await call(app.url, 'GET', `/api/appointments/${ref}`)).body.status, 'booked');
    // The page ignores its query (links carry tracking parameters).
    assert.equal((await fetch(`${app.url}/?utm_source=x`)).status, 200);
  });
});

describe('10: OPTIONS lists what the 405 lists', () => {
  test('on /api/appointments and /api/appointments/:reference, in one process', async () => {
    for (const [path, wrong, methods] of [
      ['/api/appointments', 'PUT', ['GET', 'POST']],
      ['/api/appointments/AAAAAAAAAAAAAAAAAAAAAA', 'PUT', ['GET', 'DELETE']],
      ['/api/doctors', 'POST', ['GET']],
    ] as const) {
      const options = await fetch(app.url + path, { method: 'OPTIONS' });
      assert.equal(options.status, 204, path);
      const allowed = options.headers.get('allow')!.split(', ').sort();
      assert.deepEqual(allowed, [...methods, 'OPTIONS'].sort(), path);
      const res = await call(app.url, wrong, path, { body: {} });
      assert.equal(res.status, 405, path);
      assert.deepEqual(res.headers.get('allow')!.split(', ').sort(), allowed, path);
    }
  });
});

describe('11: the bearer scheme is case-insensitive', () => {
  test('bearer and BEARER are accepted', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await call(app.url, 'GET', '/api/appointments', { headers: { authorization: `${scheme} ${STAFF_TOKEN}` } });
      assert.equal(res.status, 200, scheme);
    }
  });
});

describe('14: patient values never reach PostgreSQL’s log', () => {
  test('a failing booking statement is logged with $n, not the name', async (t) => {
    const logFile = process.env.TEST_PG_LOG;
    if (!logFile) return t.skip('TEST_PG_LOG is set by npm test');
    const { doctorId, start } = await freeSlot();
    const name = `Zebulon Quixote ${Date.now()}`;
    const email = `zq${Date.now()}@example.org`;
    await db.owner.query('REVOKE INSERT ON appointments FROM booking_app');
    try {
      const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: name, doctor_id: doctorId, appointment_time: start, patient_email: email } });
      assert.equal(res.status, 500);
      // The failure is in the log (so the log is being read), with the statement's text...
      let text = '';
      for (let i = 0; i < 50 && !/permission denied for table appointments/.test(text); i++) {
        await new Promise((r) => setTimeout(r, 100));
        text = readFileSync(logFile, 'utf8');
      }
      assert.match(text, /permission denied for table appointments/);
      assert.match(text, /STATEMENT:.*\$2::text/s);
      // ...and none of the patient's values.
      assert.ok(!text.includes(name), 'the name is in the PostgreSQL log');
      assert.ok(!text.includes(email), 'the e-mail is in the PostgreSQL log');
    } finally {
      await db.owner.query('GRANT INSERT ON appointments TO booking_app');
    }
  });
});

describe('15: the relay route is internal', () => {
  test('the one-process server does not serve POST /internal/outbox-relay', async () => {
    const res = await call(app.url, 'POST', '/internal/outbox-relay', { body: {}, contract: false });
    assert.equal(res.status, 404);
  });
});

describe('16: a client that goes away is not a server error', () => {
  test('an aborted upload writes no ERROR line', async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve) => {
          const url = new URL(app.url);
          const req = request({ hostname: url.hostname, port: url.port, path: '/api/appointments', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '5000' } });
          req.on('error', () => resolve());
          req.write('{"patient_name": "half');
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 50);
        });
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.stderr.write = original;
    }
    assert.deepEqual(written.filter((line) => line.includes('"ERROR"')), []);
    // The server still answers.
    assert.equal((await call(app.url, 'GET', '/api/doctors')).status, 200);
  });
});

describe('the contract is served', () => {
  test('GET /openapi.json in one process describes every public path', async () => {
    const res = await call(app.url, 'GET', '/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi.slice(0, 3), '3.1');
    for (const path of ['/api/doctors', '/api/doctors/{id}/slots', '/api/appointments', '/api/appointments/{reference}', '/healthz']) {
      assert.ok(res.body.paths[path], path);
    }
    assert.equal(res.body.paths['/internal/outbox-relay'], undefined);
  });
});
