import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import type { Located } from './manifests';

/**
 * Validation of custom resources against their operators' real CRDs (test/deploy/crds/, copied
 * from the release tags in its README), with ajv. A structural schema makes the API server
 * drop fields it does not know without a word, so a misspelt or misindented field here is an
 * error: every object schema that lists its properties and neither allows extra ones nor keeps
 * unknown fields is closed before compiling.
 */
const crdDir = join(__dirname, 'crds');

type Schema = Record<string, any>;

function closed(schema: Schema): Schema {
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = Array.isArray(schema) ? schema.map(closed) : {};
  if (Array.isArray(schema)) return out;
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, closed(s as Schema)])) : typeof v === 'object' ? closed(v as Schema) : v;
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    // metadata is the API server's own, described here as a bare object.
    out.additionalProperties = false;
  }
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

/** apiVersion + kind -> a validator of that version's openAPIV3Schema. */
function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Kubernetes' own formats that JSON Schema does not know.
  for (const f of ['int32', 'int64', 'byte', 'quantity', 'duration']) ajv.addFormat(f, true);
  validators = new Map();
  for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8')).map((d) => d.toJS())) {
      if (doc?.kind !== 'CustomResourceDefinition') continue;
      for (const version of doc.spec.versions) {
        const schema = closed(version.schema.openAPIV3Schema);
        schema.properties.metadata = { type: 'object' };
        validators.set(`${doc.spec.group}/${version.name} ${doc.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

/** True when test/deploy/crds/ has this kind's schema. */
export function hasCrd(apiVersion: string, kind: string): boolean {
  return load().has(`${apiVersion} ${kind}`);
}

/** The schema errors of one custom resource; none when it is valid. */
export function crdErrors({ where, doc }: Located): string[] {
  const validate = load().get(`${doc.apiVersion} ${doc.kind}`);
  if (!validate) return [`${where}: no CRD for ${doc.apiVersion} ${doc.kind} in test/deploy/crds`];
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
}
