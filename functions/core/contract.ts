import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The parts of an OpenAPI document this module reads; the rest passes through untouched. */
export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

let whole: OpenApiDocument | undefined;
const restricted = new Map<string, OpenApiDocument>();

/**
 * The contract, api/openapi.yaml. A bundle finds it beside itself as `openapi.json` (the build
 * converts it, so no YAML parser ships in production); from source it parses the YAML, through
 * a require esbuild leaves alone, so the `yaml` devDependency never lands in a bundle.
 */
function loadDocument(): OpenApiDocument {
  const beside = join(__dirname, 'openapi.json');
  if (existsSync(beside)) return JSON.parse(readFileSync(beside, 'utf8'));
  const source = join(__dirname, '..', '..', 'api', 'openapi.yaml');
  if (!existsSync(source)) throw new Error(`The API contract is neither at ${beside} nor at ${source}; run npm run build.`);
  const { parse } = createRequire(__filename)('yaml') as typeof import('yaml');
  return parse(readFileSync(source, 'utf8'));
}

/** Route patterns are Express-like (`/api/doctors/:id/slots`); the document's are `{id}`. */
export const toOpenApiPath = (routePath: string): string => routePath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * The contract restricted to the given route paths (a function's own, for its
 * `GET /openapi.json`), made once per list. A path the document does not describe is left out
 * rather than failing the request; test/api/contract.test.ts keeps the two in step.
 */
export function openApiFor(paths: readonly string[]): OpenApiDocument {
  const key = paths.join('\n');
  let doc = restricted.get(key);
  if (doc === undefined) {
    whole ??= loadDocument();
    // x-options is only the YAML's alias target; its content is already inlined in every path.
    const { 'x-options': _authoringOnly, ...rest } = whole;
    const wanted = new Set(paths.map(toOpenApiPath));
    const kept = Object.entries(whole.paths).filter(([path]) => wanted.has(path));
    doc = { ...rest, paths: Object.fromEntries(kept) } as OpenApiDocument;
    restricted.set(key, doc);
  }
  return doc;
}
