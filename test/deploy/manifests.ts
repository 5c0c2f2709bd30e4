import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/**
 * Reading, rendering and schema-checking the manifests under knative/, for the tests in this
 * folder. The schemas are the real ones: kubernetes-models (Kubernetes' OpenAPI) and
 * @kubernetes-models/knative (the CRDs Knative Serving and Eventing install).
 */

export const root = join(__dirname, '..', '..');
export const knativeDir = join(root, 'knative');

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** Where a document came from, for messages. */
export interface Located {
  where: string;
  doc: Resource;
}

export function parseYaml(text: string, where: string): Resource[] {
  return parseAllDocuments(text).flatMap((d, i) => {
    if (d.errors.length) throw new Error(`${where} document ${i + 1}: ${d.errors[0].message}`);
    const value = d.toJS();
    return value === null || value === undefined ? [] : [value as Resource];
  });
}

function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every kustomization.yaml under knative/, and the files it names as kustomize configuration. */
function kustomizeFiles(): Set<string> {
  const found = new Set<string>();
  for (const file of yamlFilesUnder(knativeDir)) {
    if (!/^kustomization\.ya?ml$/.test(file.split('/').pop()!)) continue;
    found.add(file);
    const [k] = parseYaml(readFileSync(file, 'utf8'), file) as any[];
    for (const c of k?.configurations ?? []) found.add(join(file, '..', c));
  }
  return found;
}

/** Every Kubernetes object in the YAML files under knative/ (kustomize's own files left out). */
export function manifestsInRepo(): Located[] {
  const skip = kustomizeFiles();
  // knative/overlays/ holds operators' custom resources (CloudNativePG, cert-manager) and
  // patches; production.test.ts validates its render against those operators' CRDs.
  const overlays = join(knativeDir, 'overlays') + '/';
  return yamlFilesUnder(knativeDir)
    .filter((file) => !skip.has(file) && !file.startsWith(overlays))
    .flatMap((file) => parseYaml(readFileSync(file, 'utf8'), file).map((doc) => ({ where: relative(root, file), doc })));
}

/** `kubectl kustomize <dir>`: kubectl is the Debian kubernetes-client in CI (.ci/run). */
export function kustomize(dir: string): Resource[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseYaml(out, `kubectl kustomize ${relative(root, dir) || '.'}`);
}

export function rendered(docs: Resource[], where: string): Located[] {
  return docs.map((doc) => ({ where: `${where} ${doc.kind}/${doc.metadata?.name}`, doc }));
}

/** The module of kubernetes-models that holds a kind's class and interface. */
export function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group.endsWith('knative.dev')) return `@kubernetes-models/knative/${group}/${version}/${kind}`;
  // knative/monitoring/: prometheus-operator's CRDs, and GKE Managed Prometheus's (no package has them).
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === 'monitoring.googleapis.com') return `../monitoring/models/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

/** The schema errors of one object, by its own model class; none when it is valid. */
export function schemaErrors({ where, doc }: Located): string[] {
  if (typeof doc?.apiVersion !== 'string' || typeof doc?.kind !== 'string') return [`${where}: no apiVersion and kind`];
  let Model: new (data: unknown) => { validate(): void };
  try {
    Model = require(modelModule(doc.apiVersion, doc.kind))[doc.kind];
  } catch {
    return [`${where}: no schema for ${doc.apiVersion} ${doc.kind}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (err) {
    return [`${where} (${doc.kind}/${doc.metadata?.name}): ${(err as Error).message}`];
  }
}

/**
 * Fields the schema does not know. The generated validators accept unknown fields, but the API
 * server does not: kubectl's strict field validation refuses them, and a CRD's structural schema
 * silently drops them (a misindented probe would simply vanish). Knative's CRDs list only what
 * Knative allows, so this also catches fields it refuses (lifecycle, pod-level securityContext
 * without its feature flag). The check types each object as its model's interface with the
 * TypeScript compiler and walks every object literal against its contextual type.
 */
export function unknownFields(objects: Located[]): string[] {
  const file = join(root, 'test', 'deploy', '__manifests__.ts');
  const lines: string[] = [];
  objects.forEach(({ doc }, i) => lines.push(`import type { I${doc.kind} as T${i} } from '${modelModule(doc.apiVersion, doc.kind)}';`));
  objects.forEach(({ doc }, i) => lines.push(`export const m${i}: T${i} = ${JSON.stringify(doc)};`));
  const source = lines.join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language, true) : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file)!;

  const owner = (node: ts.Node): number => {
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      if (ts.isVariableDeclaration(n)) return Number(n.name.getText(sf).slice(1));
    }
    return -1;
  };
  const pathOf = (node: ts.Node): string => {
    const parts: string[] = [];
    for (let n: ts.Node = node; n.parent && !ts.isVariableDeclaration(n); n = n.parent) {
      if (ts.isPropertyAssignment(n)) parts.unshift(`.${(n.name as ts.StringLiteral).text}`);
      else if (ts.isArrayLiteralExpression(n.parent)) parts.unshift(`[${n.parent.elements.indexOf(n as ts.Expression)}]`);
    }
    return parts.join('').slice(1);
  };
  const label = (node: ts.Node) => {
    const o = objects[owner(node)];
    return o ? `${o.where} (${o.doc.kind}/${o.doc.metadata?.name})` : 'manifest';
  };

  const errors: string[] = [];
  const known = (type: ts.Type): Set<string> | 'any' => {
    const parts = checker.getNonNullableType(type);
    const types = parts.isUnion() ? parts.types : [parts];
    const names = new Set<string>();
    let objectLike = false;
    for (const t of types) {
      if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'any';
      if (!(t.flags & ts.TypeFlags.Object)) continue;
      objectLike = true;
      if (checker.getIndexInfosOfType(t).length > 0) return 'any';
      for (const p of checker.getPropertiesOfType(t)) names.add(p.name);
    }
    // A value where the schema wants a string or number: the type check below reports it.
    return objectLike ? names : 'any';
  };
  // A CRD field typed `{}` keeps whatever it is given (x-kubernetes-preserve-unknown-fields):
  // a free-form map such as a Trigger's filter attributes. Knative Serving uses the same for
  // the pod fields its webhook refuses unless a feature flag is on, and says so in the field's
  // description, which the model carries as documentation.
  const behindFeatureFlag = (node: ts.ObjectLiteralExpression): boolean => {
    const assignment = node.parent;
    if (!ts.isPropertyAssignment(assignment) || !ts.isObjectLiteralExpression(assignment.parent)) return false;
    const parentType = checker.getContextualType(assignment.parent);
    const field = parentType && checker.getNonNullableType(parentType).getProperty((assignment.name as ts.StringLiteral).text);
    const docs = field ? ts.displayPartsToString(field.getDocumentationComment(checker)) : '';
    return /feature flag/i.test(docs);
  };
  const visit = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const type = checker.getContextualType(node);
      const allowed = type ? known(type) : 'any';
      if (allowed !== 'any' && allowed.size === 0 && !behindFeatureFlag(node)) {
        // A free-form map: anything goes.
      } else if (allowed !== 'any') {
        for (const p of node.properties) {
          const name = (p.name as ts.StringLiteral).text;
          if (allowed.has(name)) continue;
          const why = allowed.size === 0 ? 'needs a Knative feature flag' : 'is not a field of the schema';
          errors.push(`${label(p)}: ${pathOf(p)} ${why}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // Wrong types and missing required fields; unknown fields are reported above, one each.
  for (const d of ts.getPreEmitDiagnostics(program, sf)) {
    if (d.code === 2353 || d.code === 2561) continue;
    const node = d.start === undefined ? sf : findNode(sf, d.start);
    errors.push(`${label(node)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 400)}`);
  }
  return errors;
}

function findNode(sf: ts.SourceFile, position: number): ts.Node {
  let found: ts.Node = sf;
  const visit = (node: ts.Node) => {
    if (node.getStart(sf) <= position && position < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return found;
}

/** The one container of a Knative Service or a pod template. */
export function containerOf(doc: Resource): any {
  return doc.spec?.template?.spec?.containers?.[0];
}

export function envOf(doc: Resource): Map<string, any> {
  return new Map((containerOf(doc)?.env ?? []).map((e: any) => [e.name, e]));
}

export const isKnativeService = (doc: Resource) => doc.apiVersion === 'serving.knative.dev/v1' && doc.kind === 'Service';

/** Secret name -> keys, as scripts/deploy creates them (`create_secret_once <name> <<EOF` blocks). */
export function secretsCreatedByDeploy(): Map<string, Set<string>> {
  const script = readFileSync(join(root, 'scripts', 'deploy'), 'utf8');
  const found = new Map<string, Set<string>>();
  for (const m of script.matchAll(/^create_secret_once ([a-z0-9-]+) <<EOF\n([\s\S]*?)^EOF$/gm)) {
    found.set(m[1], new Set(m[2].split('\n').filter(Boolean).map((line) => line.split('=')[0])));
  }
  return found;
}

/** Every ConfigMap key a container's env reads exists in the render (else the pod never starts). */
export function assertConfigMapRefsResolve(render: Resource[]): void {
  const configMaps = new Map(render.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d]));
  const refs = render.flatMap((d) =>
    (d.spec?.template?.spec?.containers ?? []).flatMap((c: any) =>
      (c.env ?? []).filter((e: any) => e.valueFrom?.configMapKeyRef).map((e: any) => ({ from: `${d.kind}/${d.metadata.name}`, ...e.valueFrom.configMapKeyRef })),
    ),
  );
  assert.ok(refs.length > 0);
  for (const ref of refs) {
    const cm = configMaps.get(ref.name);
    assert.ok(cm, `${ref.from}: ConfigMap ${ref.name} is not in the render`);
    assert.ok(ref.key in (cm.data ?? {}), `${ref.from}: ConfigMap ${ref.name} has no key ${ref.key}`);
  }
}
