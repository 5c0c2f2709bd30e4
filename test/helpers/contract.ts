import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Checks answers against api/openapi.yaml, the one contract. call() in ./app.ts runs every
 * response through `assertMatchesContract`, so an API test fails as soon as the server and the
 * document disagree, whatever the test itself asserts.
 */

export const contractPath = join(__dirname, '..', '..', 'api', 'openapi.yaml');

type Json = Record<string, any>;

export interface ObservedResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
  text: string;
}

interface Loaded {
  doc: Json;
  ajv: Ajv2020;
  /** Literal paths first: OpenAPI says `/api/appointments/mine` beats `/api/appointments/{reference}`. */
  templates: Array<{ template: string; pattern: RegExp }>;
  validators: Map<unknown, ValidateFunction>;
}

let loaded: Loaded | undefined;

/** The document as a JSON object (YAML aliases inlined). */
export function loadContract(): Json {
  return parse(readFileSync(contractPath, 'utf8'));
}

const SCHEMAS_ID = 'https://clinic-booking.invalid/contract';

/** Component refs point into the OpenAPI document; ajv gets them as refs into one schema's $defs. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/components\/schemas\//, `${SCHEMAS_ID}#/$defs/`) : rewriteRefs(v);
  }
  return out;
}

function load(): Loaded {
  if (loaded) return loaded;
  const doc = loadContract();
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SCHEMAS_ID, $defs: rewriteRefs(doc.components?.schemas ?? {}) });
  const templates = Object.keys(doc.paths)
    .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
    .map((template) => {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      return { template, pattern: new RegExp(`^${source}/?$`) };
    });
  loaded = { doc, ajv, templates, validators: new Map() };
  return loaded;
}

/** Follows a local `$ref` (responses, headers, parameters) to what it names. */
function deref(doc: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    if (hops > 10 || !current.$ref.startsWith('#/')) throw new Error(`contract: cannot follow $ref ${current.$ref}`);
    const target: Json | undefined = current.$ref
      .slice(2)
      .split('/')
      .map((part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((at: Json | undefined, part: string) => at?.[part], doc);
    if (target === undefined) throw new Error(`contract: $ref ${node.$ref} names nothing`);
    current = target;
  }
  return current;
}

function validatorFor(l: Loaded, schema: unknown): ValidateFunction {
  let validate = l.validators.get(schema);
  if (!validate) {
    validate = l.ajv.compile(rewriteRefs(schema) as Json);
    l.validators.set(schema, validate);
  }
  return validate;
}

/** The documented path template a concrete path (query and all) falls under, if any. */
export function matchPath(path: string): string | undefined {
  const pathname = new URL(path, 'http://contract.invalid').pathname;
  return load().templates.find((t) => t.pattern.test(pathname))?.template;
}

/** ajv's own text leaves out which property or value was wrong; these say it. */
function describeErrors(errors: ValidateFunction['errors'], what: string): string {
  return (errors ?? [])
    .map((e) => {
      const p = e.params as Json;
      const detail =
        p.additionalProperty !== undefined ? ` (${JSON.stringify(p.additionalProperty)})`
        : p.allowedValue !== undefined ? ` (${JSON.stringify(p.allowedValue)})`
        : p.allowedValues !== undefined ? ` (${JSON.stringify(p.allowedValues)})`
        : '';
      return `${what}${e.instancePath} ${e.message}${detail}`;
    })
    .join('; ');
}

const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0].trim().toLowerCase();

/**
 * Throws an AssertionError naming the operation, status and field when the response is not one
 * the contract allows: an undocumented status, a missing required header, a header or body
 * that does not fit its schema, or a media type the operation does not give.
 * An undocumented path must be the document's `NotFound` answer, a method a path lacks its
 * `MethodNotAllowed` one; HEAD is checked as GET without a body.
 */
export function assertMatchesContract(method: string, path: string, res: ObservedResponse): void {
  const l = load();
  const verb = method.toUpperCase();
  const template = matchPath(path);
  let where: string;
  let response: Json | undefined;
  if (template === undefined) {
    where = `${verb} ${path} (no documented path)`;
    response = res.status === 404 ? l.doc.components.responses.NotFound : undefined;
  } else {
    const operation = l.doc.paths[template][verb === 'HEAD' ? 'get' : verb.toLowerCase()];
    where = `${verb} ${template}`;
    if (!operation) {
      where += ' (no such operation)';
      response = res.status === 405 ? l.doc.components.responses.MethodNotAllowed : undefined;
    } else {
      const responses: Json = operation.responses;
      response = responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
    }
  }
  const fail = (message: string): never => {
    throw new AssertionError({ message: `contract: ${where} → ${res.status}: ${message}`, actual: res.text.slice(0, 500), expected: undefined, operator: 'assertMatchesContract' });
  };
  if (!response) fail('status is not documented for this operation');
  response = deref(l.doc, response!);

  for (const [name, ref] of Object.entries<Json>(response.headers ?? {})) {
    const header = deref(l.doc, ref);
    const value = res.headers.get(name);
    if (value === null) {
      if (header.required) fail(`required header ${name} is missing`);
      continue;
    }
    const schema = deref(l.doc, header.schema ?? {});
    const typed = schema.type === 'integer' || schema.type === 'number' ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
    const validate = validatorFor(l, header.schema ?? {});
    if (!validate(typed)) fail(describeErrors(validate.errors, `header ${name}`));
  }

  const content: Json | undefined = response.content;
  if (!content) {
    if (res.text !== '') fail('the contract gives this response no body, but it has one');
    return;
  }
  if (verb === 'HEAD') return;
  const type = mediaType(res.headers.get('content-type'));
  const media = content[type];
  if (!media) fail(`Content-Type ${type || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
  if (!type.endsWith('json')) return;
  if (res.body === undefined) fail('the body is not JSON');
  if (!media.schema) return;
  const validate = validatorFor(l, media.schema);
  if (!validate(res.body)) fail(describeErrors(validate.errors, 'body'));
}
