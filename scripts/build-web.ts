import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(__dirname, '..');

/** What the page needs to find its assets: logical name to content-hashed file name. */
export type WebManifest = Record<string, string>;

export interface WebBuild {
  outdir: string;
  manifest: WebManifest;
  /** Bytes of the script, as sent gzipped. */
  scriptGzipBytes: number;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Bundles the browser side (web/src/index.ts and web/src/page.css) into `outdir` with content
 * hashes in the file names, so the page can let browsers cache them for a year; writes
 * manifest.json, and a .gz and .br beside each file so nothing is compressed per request.
 * `copyTo` receives a copy of the result (the render-page bundle serves it from there).
 */
export async function buildWeb(options: { outdir?: string; copyTo?: string[] } = {}): Promise<WebBuild> {
  const outdir = options.outdir ?? join(root, 'dist', 'web');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { index: join(root, 'web', 'src', 'index.ts'), page: join(root, 'web', 'src', 'page.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    entryNames: '[name]-[hash]',
    outdir,
    metafile: true,
    // Licence headers of Lit and friends, kept at the end of the bundle.
    legalComments: 'eof',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });

  const manifest: WebManifest = {};
  const lines: string[] = [];
  let scriptGzipBytes = 0;
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const hashed = basename(file);
    const logical = `${hashed.slice(0, hashed.lastIndexOf('-'))}${hashed.slice(hashed.lastIndexOf('.'))}`;
    manifest[logical] = hashed;
    const path = join(outdir, hashed);
    const body = readFileSync(path);
    const gz = gzipSync(body, { level: 9 });
    const br = brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    writeFileSync(`${path}.gz`, gz);
    writeFileSync(`${path}.br`, br);
    if (logical === 'index.js') scriptGzipBytes = gz.length;
    lines.push(`  ${relative(root, path).padEnd(44)} ${kib(body.length).padStart(10)}  gzip ${kib(gz.length).padStart(8)}  br ${kib(br.length).padStart(8)}`);
  }
  if (!manifest['index.js'] || !manifest['page.css']) throw new Error('the web build did not produce index.js and page.css');
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  for (const target of options.copyTo ?? []) {
    rmSync(target, { recursive: true, force: true });
    cpSync(outdir, target, { recursive: true });
  }
  console.log(lines.join('\n'));
  console.log(`  web script: ${kib(scriptGzipBytes)} gzipped (Lit included)`);
  return { outdir, manifest, scriptGzipBytes };
}

if (require.main === module) {
  buildWeb().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
