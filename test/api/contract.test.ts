import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { allFunctions } from '../../functions/all';
import auditLog from '../../functions/audit-log';
import notify from '../../functions/notify';
import { openApiFor, toOpenApiPath } from '../../functions/core/contract';
import { errorStatus } from '../../functions/core/errors';
import { functionNames } from '../../scripts/build';
import { contractTypes, contractTypesPath } from '../../scripts/contract-types';
import { call, startApp } from '../helpers/app';
import { assertMatchesContract, loadContract } from '../helpers/contract';

const root = join(__dirname, '..', '..');
const doc = loadContract();
// Every function: those npm start serves, and the event consumers.
const functions = [...allFunctions, auditLog, notify];
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

async function openApiProblems(document: unknown): Promise<string | undefined> {
  const result = await new Validator().validate(structuredClone(document) as Parameters<Validator["validate"]>[0]);
  return result.valid ? undefined : JSON.stringify(result.errors, null, 2).slice(0, 4000);
}

/** [path, method, operation] for every operation of the document. */
function operations(document: Record<string, any>): Array<[string, string, Record<string, any>]> {
  return Object.entries<Record<string, any>>(document.paths).flatMap(([path, item]) =>
    methods.filter((m) => item[m]).map((m): [string, string, Record<string, any>] => [path, m, item[m]]),
  );
}

describe('api/openapi.yaml', () => {
  test('the functions checked here are every function there is', () => {
    assert.deepEqual(functions.map((fn) => fn.name).sort(), functionNames());
  });

  test('is valid OpenAPI 3.1', async () => {
    assert.match(doc.openapi, /^3\.1\./);
    assert.equal(await openApiProblems(doc), undefined);
  });

  test('the validator used above does refuse a broken document', async () => {
    const broken = structuredClone(doc);
    delete broken.paths['/api/doctors'].get.responses;
    broken.paths['/api/doctors'].get.response = {};
    assert.notEqual(await openApiProblems(broken), undefined);
  });

  test('every route of every function is documented, under the tag of its function', () => {
    for (const fn of functions) {
      for (const r of fn.routes) {
        const operation = doc.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()];
        assert.ok(operation, `${fn.name} serves ${r.method} ${r.path}, which api/openapi.yaml does not describe`);
        assert.ok(operation.tags?.includes(fn.name), `${r.method} ${r.path} is served by ${fn.name} but not tagged with it`);
      }
    }
  });

  test('every documented operation is served by the functions its tags name, and every path answers OPTIONS', () => {
    for (const [path, method, operation] of operations(doc)) {
      if (method === 'options') continue;
      const servers = functions.filter((fn) => fn.routes.some((r) => toOpenApiPath(r.path) === path && r.method.toLowerCase() === method)).map((fn) => fn.name);
      assert.ok(servers.length > 0, `${method.toUpperCase()} ${path} is documented but no function serves it`);
      assert.deepEqual([...(operation.tags ?? [])].sort(), servers.sort(), `${method.toUpperCase()} ${path}: its tags are the functions that serve it`);
    }
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      assert.ok(item.options?.responses?.['204'], `${path} documents no OPTIONS`);
    }
  });

  test('the error codes are exactly those of functions/core/errors.ts', () => {
    assert.deepEqual([...doc.components.schemas.ErrorCode.enum].sort(), Object.keys(errorStatus).sort());
  });

  test('each documented error response allows only codes that travel with its status', () => {
    const codesOf = (schemaRef: string): string[] => {
      const schema = doc.components.schemas[schemaRef.split('/').pop()!];
      const restriction = schema.allOf?.find((s: any) => s.properties?.error)?.properties.error;
      return restriction ? (restriction.const !== undefined ? [restriction.const] : restriction.enum) : Object.keys(errorStatus);
    };
    let checked = 0;
    for (const [path, method, operation] of operations(doc)) {
      for (const [status, ref] of Object.entries<any>(operation.responses)) {
        const response = ref.$ref ? doc.components.responses[ref.$ref.split('/').pop()] : ref;
        const schemaRef = response.content?.['application/json']?.schema?.$ref;
        if (!schemaRef || !/Error$/.test(schemaRef)) continue;
        for (const code of codesOf(schemaRef)) {
          assert.equal(String(errorStatus[code as keyof typeof errorStatus]), status, `${method.toUpperCase()} ${path} ${status} allows ${code}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 20);
    assert.deepEqual(codesOf(doc.components.responses.MethodNotAllowed.content['application/json'].schema.$ref), ['invalid_request']);
  });
});

describe('the contract checks responses (test/helpers/contract.ts)', () => {
  const json = new Headers({ 'content-type': 'application/json; charset=utf-8' });
  // Doctors and slots are cacheable: their 200s carry an ETag and Cache-Control.
  const cacheHeaders = { etag: `"${'a'.repeat(27)}"`, 'cache-control': 'public, max-age=60, stale-while-revalidate=300' };
  const cacheable = new Headers({ 'content-type': 'application/json; charset=utf-8', ...cacheHeaders });
  const check = (method: string, path: string, status: number, body: unknown, headers = status === 200 ? cacheable : json) =>
    assertMatchesContract(method, path, { status, headers, body, text: body === undefined ? '' : JSON.stringify(body) });
  const doctor = { id: 1, name: 'Dr A', specialty: 'GP', timezone: 'Europe/Paris', slot_minutes: 30, appointment_types: [{ id: 1, name: 'Appointment', minutes: 30, is_default: true }] };

  test('accepts an answer the contract gives', () => {
    check('GET', '/api/doctors', 200, { items: [doctor] });
    check('GET', '/no/such/path', 404, { error: 'not_found', message: 'There is nothing at this path.' });
    check('PUT', '/api/doctors', 405, { error: 'invalid_request', message: 'no' }, new Headers({ ...Object.fromEntries(json), allow: 'GET, OPTIONS' }));
  });

  const refused: Array<[string, () => void, RegExp]> = [
    ['an undocumented status', () => check('GET', '/api/doctors', 201, { items: [] }), /GET \/api\/doctors → 201: status is not documented/],
    ['a field the schema does not have', () => check('GET', '/api/doctors', 200, { items: [{ ...doctor, email: 'x' }] }), /body\/items\/0 must NOT have additional properties \("email"\)/],
    ['a wrong error code for the status', () => check('GET', '/api/doctors/1/slots?date=2026-01-01', 404, { error: 'slot_taken', message: 'x' }), /body\/error must be equal to constant/],
    ['a time without Z', () => check('GET', '/api/doctors/1/slots?date=2026-01-01', 200, { doctor_id: 1, date: '2026-01-01', timezone: 'UTC', slots: [{ start: '2026-01-01T09:00:00+01:00', end: '2026-01-01T09:30:00.000Z', available: true }] }), /body\/slots\/0\/start must match pattern/],
    ['a missing required header', () => check('PUT', '/api/doctors', 405, { error: 'invalid_request', message: 'no' }), /required header Allow is missing/],
    ['a 404 that is not the envelope', () => check('GET', '/no/such/path', 404, { message: 'gone' }), /body must have required property 'error'/],
    ['another media type', () => check('GET', '/api/doctors', 200, { items: [] }, new Headers({ 'content-type': 'text/html', ...cacheHeaders })), /Content-Type text\/html is not one of application\/json/],
  ];
  for (const [what, run, message] of refused) {
    test(`refuses ${what}, saying where`, () => assert.throws(run, (err: Error) => err.name === 'AssertionError' && message.test(err.message)));
  }
});

describe('functions/core/contract.ts', () => {
  test("restricts the document to one function's paths, still valid OpenAPI 3.1", async () => {
    const availability = allFunctions.find((fn) => fn.name === 'availability')!;
    const own = openApiFor(availability.routes.map((r) => r.path));
    assert.deepEqual(Object.keys(own.paths).sort(), [...new Set(availability.routes.map((r) => toOpenApiPath(r.path)))].sort());
    assert.ok(!('/api/appointments' in own.paths));
    assert.equal(openApiFor(availability.routes.map((r) => r.path)), own, 'made once');
    assert.equal(await openApiProblems(own), undefined);
  });

  test('the build puts the contract as JSON beside every bundle and dist/start.js, with no YAML parser inside', () => {
    const expected = JSON.parse(JSON.stringify(doc));
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'dist', 'openapi.json'), 'utf8')), expected);
    for (const fn of functions) {
      const dir = join(root, 'dist', 'functions', fn.name);
      assert.ok(existsSync(join(dir, 'openapi.json')), `${fn.name}: openapi.json beside its bundle`);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8')), expected);
      assert.ok(!readFileSync(join(dir, 'index.js'), 'utf8').includes('YAMLParseError'), `${fn.name}: the yaml package is bundled`);
    }
  });
});

test('GET /openapi.json under npm start is the contract for every path the process serves', async () => {
  // Nothing listens on port 1: the document is served without a database.
  const app = await startApp('postgres://booking_app:x@127.0.0.1:1/healthcare');
  try {
    const res = await call(app.url, 'GET', '/openapi.json');
    assert.equal(res.status, 200);
    const served = new Set(functions.flatMap((fn) => fn.routes.filter((r) => !r.internal).map((r) => toOpenApiPath(r.path))));
    assert.deepEqual(Object.keys(res.body.paths).sort(), [...served].sort());
    assert.equal(await openApiProblems(res.body), undefined);
    const options = await call(app.url, 'OPTIONS', '/openapi.json');
    assert.equal(options.status, 204);
  } finally {
    await app.close();
  }
});

test('web/src/lib/api-contract.ts is what `npm run contract:types` makes from the document now', async () => {
  assert.equal(readFileSync(contractTypesPath, 'utf8'), await contractTypes(), 'stale: run npm run contract:types');
});
